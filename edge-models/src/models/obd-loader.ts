import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The two logging policies of the Open Bandit Dataset. */
export type ObdPolicy = 'random' | 'bts';
/** The campaigns whose logs are in the sample (the "all" logs are missing upstream of us). */
export type ObdCampaign = 'men' | 'women';

/** One logged impression: what was shown, where, to whom (as OBD encodes it), and whether it was clicked. */
export interface ObdRow {
  readonly campaign: ObdCampaign;
  readonly policy: ObdPolicy;
  /** UTC day of the impression, `YYYY-MM-DD`. */
  readonly day: string;
  readonly timestamp: string;
  readonly itemId: number;
  /** 1 left, 2 centre, 3 right. */
  readonly position: 1 | 2 | 3;
  readonly click: 0 | 1;
  /** Probability the logging policy showed this item here. Data, never recomputed. */
  readonly propensity: number;
  /** User–item affinity per item id (the user's past clicks on each item). */
  readonly affinity: Float64Array;
  /** `item_feature_1` of the shown item's catalogue: used as its category. */
  readonly itemCategory: readonly string[];
}

/** A load failure the caller must decide about (missing data, malformed file). */
export interface ObdLoadError {
  readonly error: 'missing' | 'malformed';
  readonly message: string;
}

/**
 * Read one policy × campaign log of the OBD sample with its item catalogue.
 * Random logs must carry propensity 1/K; BTS rows must carry a propensity in (0, 1] or the file is rejected,
 * because BTS rows are only usable weighted by their propensities.
 *
 * @example
 * const rows = loadObd('/data/obd', 'random', 'men');
 * if (!Array.isArray(rows)) throw new Error(rows.message);
 */
export function loadObd(dir: string, policy: ObdPolicy, campaign: ObdCampaign): ObdRow[] | ObdLoadError {
  let log: string;
  let items: string;
  try {
    log = readFileSync(join(dir, policy, campaign, `${campaign}.csv`), 'utf8');
    items = readFileSync(join(dir, policy, campaign, 'item_context.csv'), 'utf8');
  } catch (cause) {
    return { error: 'missing', message: `OBD ${policy}/${campaign} not found under ${dir}: ${(cause as Error).message}` };
  }
  const itemCategory = parseItems(items);
  const lines = log.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  const [ts, item, pos, click, prop] = ['timestamp', 'item_id', 'position', 'click', 'propensity_score'].map(col) as number[];
  const aff0 = col('user-item_affinity_0');
  const k = itemCategory.length;
  if ([ts, item, pos, click, prop, aff0].some((i) => i! < 0) || header.length - aff0! !== k) {
    return { error: 'malformed', message: `OBD ${policy}/${campaign}: unexpected header` };
  }
  const rows: ObdRow[] = [];
  for (let n = 1; n < lines.length; n++) {
    const f = lines[n]!.split(',');
    const propensity = Number(f[prop!]);
    const position = Number(f[pos!]);
    const itemId = Number(f[item!]);
    const okPropensity = policy === 'random' ? Math.abs(propensity - 1 / k) < 1e-9 : propensity > 0 && propensity <= 1;
    if (!okPropensity || ![1, 2, 3].includes(position) || !(itemId >= 0 && itemId < k)) {
      return { error: 'malformed', message: `OBD ${policy}/${campaign} line ${n + 1}: bad propensity, position or item` };
    }
    const affinity = new Float64Array(k);
    for (let i = 0; i < k; i++) affinity[i] = Number(f[aff0! + i]);
    rows.push({
      campaign, policy, day: f[ts!]!.slice(0, 10), timestamp: f[ts!]!, itemId,
      position: position as 1 | 2 | 3, click: f[click!] === '1' ? 1 : 0, propensity, affinity, itemCategory,
    });
  }
  return rows;
}

function parseItems(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const id = header.indexOf('item_id');
  const category = header.indexOf('item_feature_1');
  const out: string[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    out[Number(f[id])] = f[category]!;
  }
  return out;
}
