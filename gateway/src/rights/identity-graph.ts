import type { Event } from '@sluice/protocol';
import { eventSubjects, type Subject, type SubjectKind } from './subject-key.ts';

/** D1 binds at most 100 parameters per statement: 6 per link. */
const LINKS_PER_STATEMENT = 16;

/**
 * The statements linking identifiers seen together on one event (userId, anonymousId, email,
 * phone — as keyed subject digests, never raw), per site: one row per distinct pair, its
 * `last_seen` refreshed. Ingest runs them in its one D1 batch, through `subjectIndexStatements`.
 * @example statements.push(...(await linkStatements(env.DB, 'demo', events, Date.now())))
 */
export async function linkStatements(db: D1Database, siteId: string, events: readonly Event[], now: number, memo = new Map<string, Promise<string | null>>()): Promise<D1PreparedStatement[]> {
  // Distinct pairs by their lower then higher key: two lookups of strings the memo shares (their
  // hashes cached), not a new 129-character key per pair and event (issue 14).
  const links = new Map<string, Map<string, [Subject, Subject]>>();
  const rows: [Subject, Subject][] = [];
  for (const event of events) {
    const subjects = await eventSubjects(event, memo);
    for (let i = 0; i < subjects.length; i++) {
      for (let j = i + 1; j < subjects.length; j++) {
        const [a, b] = subjects[i]!.key < subjects[j]!.key ? [subjects[i]!, subjects[j]!] : [subjects[j]!, subjects[i]!];
        if (a.key === b.key) continue;
        let withA = links.get(a.key);
        if (!withA) links.set(a.key, (withA = new Map()));
        if (withA.has(b.key)) continue;
        const pair: [Subject, Subject] = [a, b];
        withA.set(b.key, pair);
        rows.push(pair);
      }
    }
  }
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += LINKS_PER_STATEMENT) {
    const part = rows.slice(i, i + LINKS_PER_STATEMENT);
    statements.push(
      db
        .prepare(
          `INSERT INTO subject_links (site_id, key_a, kind_a, key_b, kind_b, last_seen) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (site_id, key_a, key_b) DO UPDATE SET last_seen = excluded.last_seen`,
        )
        .bind(...part.flatMap(([a, b]) => [siteId, a.key, a.kind, b.key, b.kind, now])),
    );
  }
  return statements;
}

/** How far a deletion follows the graph. */
export interface ExpansionLimits {
  /** Subject keys in all, the given ones included. */
  maxKeys: number;
  /** Hops from a given identifier. */
  maxDepth: number;
}

export const DEFAULT_EXPANSION: ExpansionLimits = { maxKeys: 64, maxDepth: 3 };

/** One identifier a deletion reached through the graph (the record lists these; 16 hex of the key, never the value). */
export interface LinkedSubject {
  kind: SubjectKind;
  /** The first 16 hex of the subject key. */
  key: string;
  /** The kind of the identifier it was reached from, and after how many hops. */
  via: SubjectKind;
  depth: number;
  /** An anonymousId also seen with someone else's identifiers (a shared browser): see `Expansion.shared`. */
  shared?: true;
}

/** The identifiers a deletion covers: the given ones and those linked to them. */
export interface Expansion {
  keys: string[];
  linked: LinkedSubject[];
  /** A limit stopped the walk: more identifiers may be linked than were covered. */
  truncated: boolean;
  /**
   * Linked anonymousIds (not given) that were also seen with identifiers outside the person's
   * (another account on the same browser), and those other identifiers: the deletion takes the
   * shared browser's events except the ones that carry the other person's identifiers, and does not
   * suppress the shared browser.
   */
  shared: string[];
  foreign: string[];
}

/**
 * Walks the identity graph from the given identifiers, breadth first, bounded by `limits`.
 * Person identifiers (userId, email, phone) are followed to everything seen with them; an
 * anonymousId (a browser, possibly shared by several people) is reached but never followed
 * further, so a deletion by one person's email covers their anonymous browsing without reaching
 * another account that used the same browser; such a shared browser is reported (`shared`, with
 * the other identifiers seen on it in `foreign`) so the deletion leaves the other person's events.
 * @example const { keys, linked } = await expandSubjects(env.DB, 'demo', [{ kind: 'email', key }])
 */
export async function expandSubjects(db: D1Database, siteId: string, given: readonly Subject[], limits: ExpansionLimits = DEFAULT_EXPANSION): Promise<Expansion> {
  const seen = new Map<string, Subject>(given.map((s) => [s.key, s]));
  const linked: LinkedSubject[] = [];
  /** The full subject key of each `linked` entry (the record shows a prefix only). */
  const linkedKeys: string[] = [];
  let truncated = false;
  let frontier = given.filter((s) => s.kind !== 'anonymousId');
  for (let depth = 1; depth <= limits.maxDepth && frontier.length > 0; depth++) {
    const next: Subject[] = [];
    const keys = frontier.map((s) => s.key);
    const kindOf = new Map(frontier.map((s) => [s.key, s.kind]));
    const { results } = await db
      .prepare(`SELECT key_a, kind_a, key_b, kind_b FROM subject_links WHERE site_id = ?1 AND (key_a IN (${keys.map((_, i) => `?${i + 2}`).join(',')}) OR key_b IN (${keys.map((_, i) => `?${i + 2}`).join(',')})) LIMIT ${limits.maxKeys * 4}`)
      .bind(siteId, ...keys)
      .all<{ key_a: string; kind_a: SubjectKind; key_b: string; kind_b: SubjectKind }>();
    if (results.length >= limits.maxKeys * 4) truncated = true;
    for (const row of results) {
      const [from, to] = kindOf.has(row.key_a) ? [row.key_a, { kind: row.kind_b, key: row.key_b }] : [row.key_b, { kind: row.kind_a, key: row.key_a }];
      if (seen.has(to.key)) continue;
      if (seen.size >= limits.maxKeys) {
        truncated = true;
        break;
      }
      seen.set(to.key, to);
      linked.push({ kind: to.kind, key: to.key.slice(0, 16), via: kindOf.get(from)!, depth });
      linkedKeys.push(to.key);
      if (to.kind !== 'anonymousId') next.push(to);
    }
    frontier = next;
    if (depth === limits.maxDepth && next.length > 0) truncated = true;
  }
  // Linked browsers seen with someone else's identifiers too.
  const anonymous = linkedKeys.filter((_, i) => linked[i]!.kind === 'anonymousId');
  const shared: string[] = [];
  const foreign = new Set<string>();
  for (let i = 0; i < anonymous.length; i += 45) {
    const part = anonymous.slice(i, i + 45);
    const marks = part.map(() => '?').join(',');
    const { results } = await db
      .prepare(`SELECT key_a, key_b FROM subject_links WHERE site_id = ? AND (key_a IN (${marks}) OR key_b IN (${marks})) LIMIT 1000`)
      .bind(siteId, ...part, ...part)
      .all<{ key_a: string; key_b: string }>();
    for (const row of results) {
      const [anon, other] = part.includes(row.key_a) ? [row.key_a, row.key_b] : [row.key_b, row.key_a];
      if (seen.has(other)) continue;
      foreign.add(other);
      if (!shared.includes(anon)) shared.push(anon);
    }
  }
  linked.forEach((l, i) => {
    if (shared.includes(linkedKeys[i]!)) l.shared = true;
  });
  return { keys: [...seen.keys()], linked, truncated, shared, foreign: [...foreign] };
}
