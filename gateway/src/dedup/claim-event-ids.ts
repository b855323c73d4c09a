import type { Env } from '../env.ts';

/**
 * One ledger object per site, one call per request: claiming a batch's ids is a single round trip
 * and a single transaction, whatever the batch size. (It was 16 shards by id, so up to 16 calls a
 * batch.) A Durable Object serves on the order of a thousand calls a second, i.e. tens of
 * thousands of events a second per site at real batch sizes.
 */
export function ledgerFor(env: Env, siteId: string) {
  return env.EVENT_IDS.get(env.EVENT_IDS.idFromName(`site:${siteId}`));
}

/** Claims event ids for a site in one call; returns a set of the ids that were new. */
export async function claimEventIds(env: Env, siteId: string, eventIds: string[]): Promise<Set<string>> {
  if (!eventIds.length) return new Set();
  const results = await ledgerFor(env, siteId).claim(eventIds);
  const fresh = new Set<string>();
  eventIds.forEach((id, i) => results[i] && fresh.add(id));
  return fresh;
}

/** Gives claimed ids back (their delivery could not be queued), in one call. */
export async function releaseEventIds(env: Env, siteId: string, eventIds: string[]): Promise<void> {
  if (eventIds.length) await ledgerFor(env, siteId).release(eventIds);
}
