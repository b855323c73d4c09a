/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { parsePolicy, type PolicyIssue } from '@sluice/consent';
import { ConsentSignals, Event } from '@sluice/protocol';
import { loadLivePolicy } from '../../consent/live-policy.ts';
import { loadGvl } from '../../consent/live-gvl.ts';
import { storePolicy } from '../../admin/policy/store-policy.ts';
import { SimulateRequest, simulate } from '../../admin/policy/simulate.ts';
import type { ConsolePage, PageContext } from '../console-page.ts';
import { lineDiff } from '../line-diff.ts';
import { DataTable } from '../data-table.tsx';

const EXAMPLE_EVENT = {
  type: 'track',
  event: 'Purchase',
  eventId: '00000000-0000-4000-8000-000000000001',
  anonymousId: 'simulated-visitor',
  timestamp: '2026-12-01T12:00:00.000Z',
  properties: { value: 42.5, currency: 'EUR' },
  user: { email: 'simulated.buyer@example.com' },
};

interface PolicyForm {
  draft?: string;
  issues?: PolicyIssue[];
  simulation?: { request: Record<string, string>; result?: unknown; error?: string };
}

async function history(ctx: PageContext) {
  const { results } = await ctx.env.DB.prepare('SELECT version, policy_hash AS hash, document, created_at AS at FROM policy_versions WHERE site_id = ? ORDER BY version DESC LIMIT 100')
    .bind(ctx.site.id)
    .all<{ version: number; hash: string; document: string; at: number }>();
  return results;
}

const pretty = (doc: string | unknown) => JSON.stringify(typeof doc === 'string' ? JSON.parse(doc) : doc, null, 2);

async function renderPolicy(ctx: PageContext, form: PolicyForm = {}) {
  const live = await loadLivePolicy(ctx.env.CONFIG, ctx.site.id);
  const versions = await history(ctx);
  const from = Number(ctx.query.get('from') ?? versions[1]?.version ?? 0);
  const to = Number(ctx.query.get('to') ?? versions[0]?.version ?? 0);
  const a = versions.find((v) => v.version === from);
  const b = versions.find((v) => v.version === to);
  const diff = a && b ? lineDiff(pretty(a.document), pretty(b.document)) : [];
  const site = encodeURIComponent(ctx.site.id);
  const admin = ctx.role === 'admin';
  const sim = form.simulation?.request ?? {};
  return (
    <>
      <h1>Consent policy</h1>
      <p>
        Live: {live ? <strong id="live-version">version {live.version}</strong> : <strong id="live-version">no policy (every destination receives nothing)</strong>}
        {live && (
          <>
            {' '}
            · hash <code>{live.policyVersion}</code> · since {new Date(live.updatedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC
          </>
        )}
      </p>
      <section aria-labelledby="edit-h">
        <h2 id="edit-h">Edit</h2>
        {form.issues && (
          <div class="errors" role="alert" id="policy-errors">
            <p>The policy was not saved; the live version is unchanged. {form.issues.length} problem(s):</p>
            <ul>
              {form.issues.map((i) => (
                <li>
                  <code class="path">{i.path}</code>: {i.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <form method="post" action={`/console/policy/save?site=${site}`}>
          <label for="policy-json">Policy document (JSON)</label>
          <textarea id="policy-json" name="policy" rows={22} spellcheck={false} readonly={!admin} aria-describedby={form.issues ? 'policy-errors' : undefined}>
            {form.draft ?? (live ? pretty(live.policy) : '')}
          </textarea>
          {admin ? <button type="submit">Validate and make live</button> : <p class="note">Saving needs the admin token; you are signed in read-only.</p>}
        </form>
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">Version history</h2>
        <form method="get" class="diff-picker">
          <input type="hidden" name="site" value={ctx.site.id} />
          <label>
            Compare version{' '}
            <select name="from">
              {versions.map((v) => (
                <option value={String(v.version)} selected={v.version === from}>
                  {v.version}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            with{' '}
            <select name="to">
              {versions.map((v) => (
                <option value={String(v.version)} selected={v.version === to}>
                  {v.version}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit">Show diff</button>
        </form>
        <DataTable id="policy-history" columns={['version', 'hash', 'made live (UTC)']}>
          {versions.map((v) => (
            <tr data-version={v.version}>
              <th scope="row">{v.version}</th>
              <td>
                <code>{v.hash}</code>
              </td>
              <td>{new Date(v.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
            </tr>
          ))}
        </DataTable>
        {a && b && (
          <figure>
            <figcaption>
              Changes from version {from} to {to}: <span id="diff-summary">{diff.filter((l) => l.op === '-').length} removed, {diff.filter((l) => l.op === '+').length} added</span>
            </figcaption>
            <pre class="diff" id="policy-diff">
              {diff
                .filter((l, i) => l.op !== ' ' || diff.slice(Math.max(0, i - 2), i + 3).some((n) => n.op !== ' '))
                .map((l) => (
                  <span class={l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'ctx'}>{`${l.op} ${l.text}\n`}</span>
                ))}
            </pre>
          </figure>
        )}
      </section>
      <section aria-labelledby="sim-h">
        <h2 id="sim-h">Simulator</h2>
        <p class="note">A dry run of the live policy: nothing is queued, audited or sent. Personal data in the event is hashed in the result as each destination would receive it.</p>
        <form method="post" action={`/console/policy/simulate?site=${site}`} class="simulator">
          <label for="sim-event">Event (JSON)</label>
          <textarea id="sim-event" name="event" rows={10} spellcheck={false}>
            {sim.event ?? JSON.stringify(EXAMPLE_EVENT, null, 2)}
          </textarea>
          <label for="sim-signals">Consent signals (JSON: tcString, gppString, gppSid, consentMode, cmpCategories, gpc)</label>
          <textarea id="sim-signals" name="signals" rows={3} spellcheck={false}>
            {sim.signals ?? '{}'}
          </textarea>
          <div class="row">
            <label>
              Country <input name="country" maxlength={2} size={3} value={sim.country ?? 'DE'} />
            </label>
            <label>
              Region <input name="region" maxlength={6} size={7} value={sim.region ?? ''} />
            </label>
            <label>
              <input type="checkbox" name="secGpc" value="1" checked={sim.secGpc === '1'} /> Sec-GPC header
            </label>
          </div>
          <button type="submit">Simulate</button>
        </form>
        {form.simulation?.error && (
          <p class="errors" role="alert" id="sim-error">
            {form.simulation.error}
          </p>
        )}
        {form.simulation?.result !== undefined && <SimulationResult result={form.simulation.result as SimResult} />}
      </section>
    </>
  );
}

type SimResult = { jurisdiction: string; destinations: Record<string, { decision: string; item: unknown; receipt: unknown; consent: unknown }> };

function SimulationResult({ result }: { result: SimResult }) {
  return (
    <div id="sim-result" role="status">
      <p>
        Jurisdiction: <strong id="sim-jurisdiction">{result.jurisdiction}</strong>
      </p>
      <DataTable id="sim-destinations" columns={['destination', 'decision', 'what it would receive', 'receipt']}>
        {Object.entries(result.destinations).map(([d, r]) => (
          <tr data-destination={d}>
            <th scope="row">{d}</th>
            <td data-col="decision">{r.decision}</td>
            <td>{r.item === null ? <em>nothing</em> : <pre class="json">{JSON.stringify(r.item, null, 2)}</pre>}</td>
            <td>
              <details>
                <summary>rule {(r.receipt as { rule?: string }).rule}</summary>
                <pre class="json">{JSON.stringify(r.receipt, null, 2)}</pre>
              </details>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function parseJsonField(text: string, name: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text || '{}') };
  } catch {
    return { error: `${name}: not valid JSON` };
  }
}

/** Policy: edit (validated, versioned), history with a diff, and the simulator. */
export const policyPage: ConsolePage = {
  slug: 'policy',
  title: 'Policy',
  summary: 'Edit the consent policy with errors at their path, compare versions, simulate an event.',
  render: (ctx) => renderPolicy(ctx),
  safeActions: ['simulate'],
  actions: {
    async save(ctx, form) {
      const draft = String(form.get('policy') ?? '');
      const json = parseJsonField(draft, '(root)');
      const parsed = json.error ? { ok: false as const, issues: [{ path: '(root)', message: 'not valid JSON' }] } : parsePolicy(json.value);
      if (!parsed.ok) return { body: await renderPolicy(ctx, { draft, issues: parsed.issues }), status: 422 };
      const live = await storePolicy(ctx.env.CONFIG, ctx.env.DB, ctx.site.id, parsed.policy, Date.now());
      return { redirect: `/console/policy?site=${encodeURIComponent(ctx.site.id)}`, flash: `Version ${live.version} is live.` };
    },
    async simulate(ctx, form) {
      const request = Object.fromEntries(['event', 'signals', 'country', 'region', 'secGpc'].map((k) => [k, String(form.get(k) ?? '')]));
      const fail = async (error: string) => ({ body: await renderPolicy(ctx, { simulation: { request, error } }), status: 422 as const });
      const live = await loadLivePolicy(ctx.env.CONFIG, ctx.site.id);
      if (!live) return fail('This site has no policy to simulate.');
      const eventJson = parseJsonField(request.event!, 'event');
      if (eventJson.error) return fail(eventJson.error);
      const signalsJson = parseJsonField(request.signals!, 'signals');
      if (signalsJson.error) return fail(signalsJson.error);
      const signals = ConsentSignals.safeParse(signalsJson.value);
      if (!signals.success) return fail(`signals.${signals.error.issues[0]!.path.join('.')}: ${signals.error.issues[0]!.message}`);
      const event = Event.safeParse(eventJson.value);
      if (!event.success) return fail(`event.${event.error.issues[0]!.path.join('.')}: ${event.error.issues[0]!.message}`);
      const location = { ...(request.country ? { country: request.country.toUpperCase() } : {}), ...(request.region ? { region: request.region.toUpperCase() } : {}) };
      const parsedRequest = SimulateRequest.safeParse({ event: eventJson.value, signals: signals.data, secGpc: request.secGpc === '1', location });
      if (!parsedRequest.success) return fail(`${parsedRequest.error.issues[0]!.path.join('.')}: ${parsedRequest.error.issues[0]!.message}`);
      const result = await simulate(ctx.site, live, await loadGvl(ctx.env.CONFIG), parsedRequest.data, event.data);
      return { body: await renderPolicy(ctx, { simulation: { request, result } }) };
    },
  },
};
