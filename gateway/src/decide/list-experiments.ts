import type { Env } from '../env.ts';
import { experimentKey, loadExperiment, type LiveExperiment } from './live-experiment.ts';

/** Most experiments one listing reads (KV pages of 1000). */
export const MAX_LISTED_EXPERIMENTS = 200;

/**
 * The site's live experiments (KV `experiment:<site>:<id>`), by id. An experiment whose stored
 * copy no longer validates is left out, as `loadExperiment` leaves it out for decisions.
 * @example const experiments = await listExperiments(env, 'demo');
 */
export async function listExperiments(env: Env, siteId: string): Promise<LiveExperiment[]> {
  const prefix = experimentKey(siteId, '');
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await env.CONFIG.list({ prefix, ...(cursor ? { cursor } : {}) });
    ids.push(...page.keys.map((k) => k.name.slice(prefix.length)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && ids.length < MAX_LISTED_EXPERIMENTS);
  const live = await Promise.all(ids.sort().slice(0, MAX_LISTED_EXPERIMENTS).map((id) => loadExperiment(env.CONFIG, siteId, id)));
  return live.filter((e): e is LiveExperiment => e !== null);
}
