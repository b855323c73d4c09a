/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { loadReportConfig } from '../../reports/report-config.ts';
import { latestReleaseOver, type StoredRelease } from '../../reports/release-store.ts';
import type { NoisyNumber, ReportCell } from '../../reports/run-report.ts';
import type { PageContext } from '../console-page.ts';

/** The SDK rank chunk's event names (sdk/src/rank/ranker.ts). */
const IMPRESSION = 'Slot Impression';
const CLICK = 'Slot Click';
/** Release shapes the Models page reads: CTR per version, and shadow agreement per version. */
export const OUTCOME_DIMENSIONS = ['event', 'model', 'modelVersion'] as const;
export const AGREEMENT_DIMENSIONS = ['event', 'model', 'modelVersion', 'shadowAgrees'] as const;

/** A share of two noisy counts with an interval that holds whenever both counts' 95 % intervals do (≥ 90 % jointly). */
export interface NoisyShare {
  value: number;
  interval: [number, number];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * `part / whole` from released counts (CTR = clicks / impressions); null when either is withheld or the whole is not positive.
 * @example
 * ratioOf({ value: 10, interval: [6, 14] }, { value: 100, interval: [96, 104] }); // { value: 0.1, interval: [6/104, 14/96] }
 */
export function ratioOf(part: NoisyNumber | null, whole: NoisyNumber | null): NoisyShare | null {
  if (!part || !whole || whole.value <= 0) return null;
  return { value: clamp01(part.value / whole.value), interval: [clamp01(Math.max(0, part.interval[0]) / Math.max(1, whole.interval[1])), clamp01(Math.max(0, part.interval[1]) / Math.max(1, whole.interval[0]))] };
}

/**
 * `yes / (yes + no)` from two released counts (shadow agreement); null when either is withheld or the total is not positive.
 * @example
 * shareOf({ value: 80, interval: [76, 84] }, { value: 20, interval: [16, 24] }); // { value: 0.8, interval: [76/100, 84/100] }
 */
export function shareOf(yes: NoisyNumber | null, no: NoisyNumber | null): NoisyShare | null {
  if (!yes || !no || yes.value + no.value <= 0) return null;
  const [yl, yh] = [Math.max(0, yes.interval[0]), Math.max(0, yes.interval[1])];
  const [nl, nh] = [Math.max(0, no.interval[0]), Math.max(0, no.interval[1])];
  return { value: clamp01(Math.max(0, yes.value) / (Math.max(0, yes.value) + Math.max(0, no.value) || 1)), interval: [yl + nh > 0 ? yl / (yl + nh) : 0, yh + nl > 0 ? yh / (yh + nl) : 1] };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const count = (n: NoisyNumber | null | undefined) => (n ? String(n.value) : 'withheld');
const countInterval = (n: NoisyNumber | null | undefined) => (n ? `${n.interval[0]} – ${n.interval[1]}` : '–');
const share = (s: NoisyShare | null) => (s ? pct(s.value) : '–');
const shareInterval = (s: NoisyShare | null) => (s ? `${pct(s.interval[0])} – ${pct(s.interval[1])}` : '–');

function cellOf(stored: StoredRelease | null, key: Record<string, string>): ReportCell | undefined {
  return stored?.release.cells.find((c) => Object.entries(key).every(([k, v]) => c.key[k] === v));
}

/** The report config and queries that make this section show numbers (exact JSON). */
function howTo(name: string, versions: readonly string[], site: string) {
  const config = { version: 1, events: [IMPRESSION, CLICK], dimensions: ['model', 'modelVersion', 'shadowAgrees'], catalogue: { model: [name], modelVersion: versions, shadowAgrees: ['true', 'false'] } };
  const q = (dimensions: readonly string[]) => JSON.stringify({ metrics: ['count'], dimensions, from: 'YYYY-MM-DD', to: 'YYYY-MM-DD', epsilon: '1/2' });
  return (
    <>
      <pre>
        <code>{JSON.stringify(config)}</code>
      </pre>
      <p>
        Declare it with <code>PUT /v1/reports/{site}/config</code> (admin token; merge it into an existing config: it replaces the whole config), then release finished days with <code>POST /v1/reports/{site}/query</code> and{' '}
        <code>{q(OUTCOME_DIMENSIONS)}</code> (impressions, clicks) and <code>{q(AGREEMENT_DIMENSIONS)}</code> (shadow agreement).
      </p>
    </>
  );
}

/**
 * Per-version outcomes of one model from the latest stored DP releases only (never raw counters):
 * impressions, clicks, CTR and shadow agreement, each with its interval.
 */
export async function ModelOutcomes(props: { ctx: PageContext; name: string; versions: readonly string[] }) {
  const { ctx, name, versions } = props;
  const config = await loadReportConfig(ctx.env.CONFIG, ctx.site.id);
  const covered = !!config && [IMPRESSION, CLICK].every((e) => config.events.includes(e)) && (['model', 'modelVersion', 'shadowAgrees'] as const).every((d) => config.dimensions.includes(d));
  if (!covered) {
    return (
      <div id={`outcomes-${name}`}>
        <h3>Outcomes per version</h3>
        <p class="note" id={`no-outcome-config-${name}`}>
          This site's report config does not count <code>{IMPRESSION}</code> and <code>{CLICK}</code> by <code>model</code>, <code>modelVersion</code> and <code>shadowAgrees</code>, so there is no released number to show. Outcome numbers
          leave Sluice only as differentially private releases. To count them, declare:
        </p>
        {howTo(name, versions, ctx.site.id)}
      </div>
    );
  }
  const [outcome, agreement] = await Promise.all([latestReleaseOver(ctx.env.DB, ctx.site.id, OUTCOME_DIMENSIONS), latestReleaseOver(ctx.env.DB, ctx.site.id, AGREEMENT_DIMENSIONS)]);
  return (
    <div id={`outcomes-${name}`}>
      <h3>Outcomes per version (differentially private releases)</h3>
      <p class="note">
        {outcome ? `Impressions and clicks: release ${outcome.releaseId} (${outcome.release.from} to ${outcome.release.to}, ε ${outcome.release.epsilon.spent}).` : 'Impressions and clicks: no release yet.'}{' '}
        {agreement ? `Shadow agreement: release ${agreement.releaseId} (${agreement.release.from} to ${agreement.release.to}, ε ${agreement.release.epsilon.spent}).` : 'Shadow agreement: no release yet.'} Counts are visitor-days with 95 % intervals; a
        withheld count is under the k floor. CTR and agreement intervals hold whenever both counts' intervals do (at least 90 %).
      </p>
      {!outcome || !agreement ? howTo(name, versions, ctx.site.id) : null}
      <table class="data" id={`outcome-table-${name}`}>
        <thead>
          <tr>
            <th scope="col">version</th>
            <th scope="col">impressions</th>
            <th scope="col">95 % interval</th>
            <th scope="col">clicks</th>
            <th scope="col">95 % interval</th>
            <th scope="col">CTR</th>
            <th scope="col">interval</th>
            <th scope="col">shadow agrees</th>
            <th scope="col">interval</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const imp = cellOf(outcome, { event: IMPRESSION, model: name, modelVersion: v })?.count ?? null;
            const clk = cellOf(outcome, { event: CLICK, model: name, modelVersion: v })?.count ?? null;
            const ctr = ratioOf(clk, imp);
            const yes = cellOf(agreement, { event: IMPRESSION, model: name, modelVersion: v, shadowAgrees: 'true' })?.count ?? null;
            const no = cellOf(agreement, { event: IMPRESSION, model: name, modelVersion: v, shadowAgrees: 'false' })?.count ?? null;
            const agrees = shareOf(yes, no);
            return (
              <tr data-outcome-version={v}>
                <th scope="row">{v}</th>
                <td data-col="impressions">{outcome ? count(imp) : '–'}</td>
                <td data-col="impressions-interval">{countInterval(imp)}</td>
                <td data-col="clicks">{outcome ? count(clk) : '–'}</td>
                <td data-col="clicks-interval">{countInterval(clk)}</td>
                <td data-col="ctr">{share(ctr)}</td>
                <td data-col="ctr-interval">{shareInterval(ctr)}</td>
                <td data-col="agreement">{share(agrees)}</td>
                <td data-col="agreement-interval">{shareInterval(agrees)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
