import type { DataStore } from '../rights/data-stores.ts';
import { banditStub } from './bandit-stub.ts';
import { experimentOfDecision } from './reward-for.ts';
import { visitorKey } from './visitor-key.ts';

/** D1 binds at most 100 parameters per statement. */
const IDS_PER_STATEMENT = 90;


/**
 * The decision log in deletions and retention. A person's decisions are the ones their events
 * carried (`decisionIds`: the subject index lists them with the person's event ids, so they arrive
 * here in `target.eventIds`); their bandit state is the sticky arm and exposure counts kept under
 * the visitor key of their anonymous id (only known when the request gives it: linked browsers
 * are known by keyed digest only). Each experiment's object forgets first, so its write-behind
 * cannot put back a row removed from D1 afterwards. Retention: rows older than the policy's
 * `decisionLog` TTL go (the experiment's own `retention` may remove them sooner).
 */
export const decisionStore: DataStore = {
  name: 'decision log',
  kind: 'decisionLog',
  async purge(env, target) {
    const decisionIds = target.eventIds.filter((id) => experimentOfDecision(id) !== null);
    const visitors = await Promise.all((target.anonymousIds ?? []).map((id) => visitorKey(target.siteId, id)));
    let found = 0;
    let removed = 0;
    if (decisionIds.length || visitors.length) {
      const { results } = await env.DB.prepare('SELECT DISTINCT experiment_id AS id FROM experiment_versions WHERE site_id = ?').bind(target.siteId).all<{ id: string }>();
      for (const { id: experimentId } of results) {
        const own = decisionIds.filter((d) => experimentOfDecision(d) === experimentId);
        if (own.length === 0 && visitors.length === 0) continue; // nothing of the person in this experiment's object
        const stub = banditStub(env, target.siteId, experimentId);
        const forgets = [stub.forget({ visitor: visitors[0] ?? null, decisionIds: own }), ...visitors.slice(1).map((visitor) => stub.forget({ visitor, decisionIds: [] }))];
        for (const forgot of await Promise.all(forgets)) {
          found += forgot.found;
          removed += forgot.removed;
        }
      }
    }
    for (let i = 0; i < decisionIds.length; i += IDS_PER_STATEMENT) {
      const part = decisionIds.slice(i, i + IDS_PER_STATEMENT);
      const deleted = await env.DB.prepare(`DELETE FROM decisions WHERE site_id = ? AND decision_id IN (${part.map(() => '?').join(',')})`).bind(target.siteId, ...part).run();
      found += deleted.meta.changes;
      removed += deleted.meta.changes;
    }
    return { found, removed };
  },
  async expire(env, siteId, before) {
    return (await env.DB.prepare('DELETE FROM decisions WHERE site_id = ? AND at < ?').bind(siteId, before).run()).meta.changes;
  },
};
