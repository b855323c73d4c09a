import type { Env } from '../env.ts';
import { banditStub } from './bandit-stub.ts';
import type { Experiment } from './experiment.ts';
import { clearExperimentCache, experimentKey, type LiveExperiment } from './live-experiment.ts';

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Records an experiment as its next version, like consent policies (admin/policy/store-policy.ts):
 * the history row in D1 first (the audit trail), then the Durable Object (authoritative for
 * decisions), then the KV copy the worker reads for fallbacks.
 */
export async function storeExperiment(env: Env, siteId: string, experimentId: string, experiment: Experiment, change: string, now: number) {
  const document = JSON.stringify(experiment);
  const last = await env.DB.prepare('SELECT MAX(version) AS v FROM experiment_versions WHERE site_id = ? AND experiment_id = ?').bind(siteId, experimentId).first<{ v: number | null }>();
  const version = (last?.v ?? 0) + 1;
  await env.DB.prepare('INSERT INTO experiment_versions (site_id, experiment_id, version, document_hash, document, change, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(siteId, experimentId, version, await sha256Hex(document), document, change, now)
    .run();
  const { policyVersion, reset } = await banditStub(env, siteId, experimentId).configure(experiment, version, experimentId, siteId);
  const live: LiveExperiment = { id: experimentId, version, experiment, updatedAt: now };
  await env.CONFIG.put(experimentKey(siteId, experimentId), JSON.stringify(live));
  clearExperimentCache();
  return { version, policyVersion, modelReset: reset };
}
