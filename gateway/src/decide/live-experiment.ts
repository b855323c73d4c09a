import { Experiment } from './experiment.ts';

/** An experiment version as the worker serves it (KV `experiment:<site>:<id>`). */
export interface LiveExperiment {
  id: string;
  version: number;
  experiment: Experiment;
  updatedAt: number;
}

/**
 * Short in-isolate cache. The kill switch does not wait for it: the Durable Object holds the
 * authoritative status; this copy only supplies the default arm when the object is too slow.
 */
export const EXPERIMENT_CACHE_MS = 5_000;

const cache = new Map<string, { value: LiveExperiment | null; expires: number }>();

export function experimentKey(siteId: string, experimentId: string): string {
  return `experiment:${siteId}:${experimentId}`;
}

/** The live experiment, or null when there is none (or the stored copy no longer validates). */
export async function loadExperiment(kv: KVNamespace, siteId: string, experimentId: string): Promise<LiveExperiment | null> {
  const key = experimentKey(siteId, experimentId);
  const hit = cache.get(key);
  if (hit && hit.expires > Date.now()) return hit.value;
  const raw = await kv.get<{ id: string; version: number; experiment: unknown; updatedAt: number }>(key, 'json');
  const parsed = raw ? Experiment.safeParse(raw.experiment) : null;
  const value = raw && parsed?.success ? { ...raw, experiment: parsed.data } : null;
  cache.set(key, { value, expires: Date.now() + EXPERIMENT_CACHE_MS });
  return value;
}

export function clearExperimentCache(): void {
  cache.clear();
}
