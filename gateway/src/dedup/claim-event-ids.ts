import type { Env } from '../env.ts';

/** Ledger shards per site: spreads one busy site over several single-threaded objects. */
export const EVENT_ID_SHARDS = 16;

/** Claims event ids for a site; returns a set of the ids that were new. */
export async function claimEventIds(env: Env, siteId: string, eventIds: string[]): Promise<Set<string>> {
  const fresh = new Set<string>();
  await Promise.all(
    [...byShard(eventIds)].map(async ([shard, ids]) => {
      const results = await ledger(env, siteId, shard).claim(ids);
      ids.forEach((id, i) => results[i] && fresh.add(id));
    }),
  );
  return fresh;
}

/** Gives claimed ids back (their delivery could not be queued). */
export async function releaseEventIds(env: Env, siteId: string, eventIds: string[]): Promise<void> {
  await Promise.all([...byShard(eventIds)].map(([shard, ids]) => ledger(env, siteId, shard).release(ids)));
}

function ledger(env: Env, siteId: string, shard: number) {
  return env.EVENT_IDS.get(env.EVENT_IDS.idFromName(`${siteId}:${shard}`));
}

/** Event ids are UUIDs: their last hex digits are random, so they spread evenly. */
function byShard(eventIds: string[]): Map<number, string[]> {
  const shards = new Map<number, string[]>();
  for (const id of eventIds) {
    const shard = (parseInt(id.slice(-2), 16) || 0) % EVENT_ID_SHARDS;
    const list = shards.get(shard);
    if (list) list.push(id);
    else shards.set(shard, [id]);
  }
  return shards;
}
