/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { appendAudit } from '../../audit/append-audit.ts';
import { ApiError } from '../../http/api-error.ts';
import { MODEL_NAME } from '../../models/model-manifest-schema.ts';
import { listModels, loadManifest, loadRollout, modelHistory, recordChange } from '../../models/model-store.ts';
import { applyChange, type RolloutChange, type RolloutState } from '../../models/rollout-state.ts';
import type { ConsolePage, PageContext } from '../console-page.ts';
import { ModelOutcomes } from './model-outcomes.tsx';

interface Change {
  revision: number;
  action: string;
  detail: Record<string, unknown>;
  createdAt: number;
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function cohortOf(state: RolloutState, version: string): string {
  const roles = [state.live === version && 'live', state.canary?.version === version && `canary ${state.canary.percent} %`, state.shadow === version && 'shadow', state.previousLive === version && 'rollback target'].filter(Boolean);
  return roles.length ? roles.join(', ') : '–';
}

async function ModelSection(props: { ctx: PageContext; name: string }) {
  const { ctx, name } = props;
  const [state, history] = await Promise.all([loadRollout(ctx.env.DB, ctx.site.id, name), modelHistory(ctx.env.DB, ctx.site.id, name) as Promise<Change[]>]);
  const site = encodeURIComponent(ctx.site.id);
  if (!state) return <section data-model={name}><h2>{name}</h2><p>Versions are stored but no rollout state exists yet.</p></section>;
  const manifests = await Promise.all(state.versions.map((v) => loadManifest(ctx.env.CONFIG, ctx.env.DB, ctx.site.id, name, v)));
  const admin = ctx.role === 'admin';
  const canaryShare = state.killed ? 0 : state.canary ? state.canary.percent : 0;
  return (
    <section aria-labelledby={`model-${name}-h`} data-model={name}>
      <h2 id={`model-${name}-h`}>
        <code>{name}</code>
      </h2>
      <table class="data" id={`rollout-${name}`}>
        <tbody>
          <tr>
            <th scope="row">live version</th>
            <td data-col="live">{state.live ?? '–'}</td>
          </tr>
          <tr>
            <th scope="row">canary</th>
            <td data-col="canary">{state.canary ? `${state.canary.version} to ${state.canary.percent} % of visitors` : '–'}</td>
          </tr>
          <tr>
            <th scope="row">share of visitors on the canary</th>
            <td data-col="canary-share">{`${canaryShare} %`}</td>
          </tr>
          <tr>
            <th scope="row">shadow candidate</th>
            <td data-col="shadow">{state.shadow ?? '–'}</td>
          </tr>
          <tr>
            <th scope="row">rollback target</th>
            <td data-col="previous">{state.previousLive ?? '–'}</td>
          </tr>
          <tr>
            <th scope="row">kill switch</th>
            <td data-col="killed">{state.killed ? 'on: no visitor gets a model, pages keep their own order' : 'off'}</td>
          </tr>
          <tr>
            <th scope="row">revision</th>
            <td data-col="revision">{state.revision}</td>
          </tr>
        </tbody>
      </table>
      {await ModelOutcomes({ ctx, name, versions: state.versions })}
      {admin ? (
        <div class="row">
          <form method="post" action={`/console/models/rollback?site=${site}`} class="inline">
            <input type="hidden" name="model" value={name} />
            <button type="submit" disabled={!state.previousLive}>
              Roll back to {state.previousLive ?? '(none)'}
            </button>
          </form>
          <form method="post" action={`/console/models/kill?site=${site}`} class="inline">
            <input type="hidden" name="model" value={name} />
            <input type="hidden" name="killed" value={state.killed ? 'false' : 'true'} />
            <button type="submit">{state.killed ? 'Turn the kill switch off' : 'Kill: serve no model'}</button>
          </form>
        </div>
      ) : (
        <p class="note">Rollback and the kill switch need the admin token; you are signed in read-only.</p>
      )}
      <h3>Versions ({state.versions.length})</h3>
      <table class="data" id={`versions-${name}`}>
        <thead>
          <tr>
            <th scope="col">version</th>
            <th scope="col">role</th>
            <th scope="col">bytes</th>
            <th scope="col">SHA-256</th>
            <th scope="col">explanation</th>
            <th scope="col">built</th>
          </tr>
        </thead>
        <tbody>
          {state.versions.map((v, i) => {
            const m = manifests[i];
            return (
              <tr data-version={v}>
                <th scope="row">{v}</th>
                <td data-col="role">{cohortOf(state, v)}</td>
                <td data-col="bytes">{m?.bytes ?? '–'}</td>
                <td>
                  <code>{m ? m.sha256.slice(0, 12) : '–'}</code>
                </td>
                <td>{m?.explanation ?? '–'}</td>
                <td>{m?.created ?? '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Changes (newest first)</h3>
      <table class="data" id={`changes-${name}`}>
        <thead>
          <tr>
            <th scope="col">revision</th>
            <th scope="col">when (UTC)</th>
            <th scope="col">action</th>
            <th scope="col">detail</th>
          </tr>
        </thead>
        <tbody>
          {history.slice(0, 50).map((h) => (
            <tr data-revision={String(h.revision)}>
              <td data-col="revision">{h.revision}</td>
              <td>{when(h.createdAt)}</td>
              <td data-col="action">{h.action}</td>
              <td>
                <code>{JSON.stringify(h.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

async function change(ctx: PageContext, form: FormData, make: (state: RolloutState) => RolloutChange) {
  const name = String(form.get('model') ?? '');
  const back = `/console/models?site=${encodeURIComponent(ctx.site.id)}`;
  if (!MODEL_NAME.test(name)) return { redirect: back, flash: 'No such model.' };
  const before = await loadRollout(ctx.env.DB, ctx.site.id, name);
  if (!before) return { redirect: back, flash: 'No such model.' };
  const request = make(before);
  const state = applyChange(before, request);
  if ('error' in state) return { redirect: back, flash: `Not changed: ${state.error}.` };
  const { action, ...detail } = request;
  const now = Date.now();
  try {
    await recordChange(ctx.env.DB, ctx.site.id, name, action, detail, state, now);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return { redirect: back, flash: 'Not changed: another change was made at the same time; reload and retry.' };
    throw error;
  }
  await appendAudit(ctx.env.DB, { siteId: ctx.site.id, actor: 'console:admin', action: `model.${action}`, target: `/console/models/${action}`, detail: { model: name, revision: state.revision, ...detail }, at: now });
  return { redirect: back, flash: action === 'kill' ? `${name}: kill switch ${state.killed ? 'on' : 'off'} (revision ${state.revision}).` : `${name}: rolled back to ${state.live} (revision ${state.revision}).` };
}

/** Models (on-device personalization): versions, live, canary, shadow, audit of changes; rollback and kill switch. */
export const modelsPage: ConsolePage = {
  slug: 'models',
  title: 'Models',
  summary: 'Published versions, the live one, canary share, shadow candidate, every change; rollback and kill switch.',
  async render(ctx) {
    const models = await listModels(ctx.env.DB, ctx.site.id);
    return (
      <>
        <h1>Models</h1>
        {models.length === 0 ? (
          <p>No model published for this site. Publish with <code>PUT /v1/admin/sites/{ctx.site.id}/models/&lt;name&gt;/versions/&lt;version&gt;</code>.</p>
        ) : (
          <>{await Promise.all(models.map((m) => ModelSection({ ctx, name: m.model })))}</>
        )}
      </>
    );
  },
  actions: {
    rollback: (ctx, form) => change(ctx, form, () => ({ action: 'rollback' })),
    kill: (ctx, form) => change(ctx, form, () => ({ action: 'kill', killed: String(form.get('killed') ?? 'true') !== 'false' })),
  },
};
