import type { Env } from '../env.ts';

/** One stored dead letter as the admin API shows it (the payload is the hashed, storable item). */
export interface DeadLetterView {
  id: number;
  destination: string;
  eventId: string;
  reason: string;
  createdAt: string;
  replayedAt: string | null;
  payload: unknown;
}

interface Row {
  id: number;
  destination: string;
  event_id: string;
  reason: string;
  payload: string;
  created_at: number;
  replayed_at: number | null;
}

/** Page size bounds of the dead-letter list. */
export const DEAD_LETTER_PAGE_DEFAULT = 50;
export const DEAD_LETTER_PAGE_MAX = 500;

export interface DeadLetterQuery {
  siteId: string;
  destination?: string;
  /** Only letters not replayed yet. */
  open?: boolean;
  /** Rows with an id below this (the `next` cursor of the previous page). */
  before?: number;
  ids?: number[];
  limit: number;
}

/** Ids per query: D1 binds at most 100 parameters per statement (site, destination, cursor and limit take four). */
const IDS_PER_QUERY = 90;

/** Dead letters of a site, newest first. Asked by ids, up to `DEAD_LETTER_PAGE_MAX` of them, in queries of `IDS_PER_QUERY`. */
export async function listDeadLetters(env: Env, q: DeadLetterQuery): Promise<DeadLetterView[]> {
  if (q.ids && q.ids.length > IDS_PER_QUERY) {
    const parts: DeadLetterView[] = [];
    for (let i = 0; i < q.ids.length; i += IDS_PER_QUERY) parts.push(...(await listDeadLetters(env, { ...q, ids: q.ids.slice(i, i + IDS_PER_QUERY) })));
    return parts.sort((a, b) => b.id - a.id).slice(0, q.limit);
  }
  const where = ['site_id = ?'];
  const args: unknown[] = [q.siteId];
  if (q.destination) (where.push('destination = ?'), args.push(q.destination));
  if (q.open) where.push('replayed_at IS NULL');
  if (q.before !== undefined) (where.push('id < ?'), args.push(q.before));
  if (q.ids) (where.push(`id IN (${q.ids.map(() => '?').join(', ')})`), args.push(...q.ids));
  const { results } = await env.DB.prepare(`SELECT * FROM dead_letters WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
    .bind(...args, q.limit)
    .all<Row>();
  return results.map((r) => ({
    id: r.id,
    destination: r.destination,
    eventId: r.event_id,
    reason: r.reason,
    createdAt: new Date(r.created_at).toISOString(),
    replayedAt: r.replayed_at === null ? null : new Date(r.replayed_at).toISOString(),
    payload: JSON.parse(r.payload) as unknown,
  }));
}
