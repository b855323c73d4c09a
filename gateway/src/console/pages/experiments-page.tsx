/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { appendAudit } from '../../audit/append-audit.ts';
import { banditStub } from '../../decide/bandit-stub.ts';
import { decisionBuckets } from '../../decide/decision-log.ts';
import { evaluateCandidate } from '../../decide/evaluate-candidate.ts';
import { ExperimentId } from '../../decide/experiment.ts';
import { experimentReport } from '../../decide/experiment-report.ts';
import type { Difference } from '../../decide/incrementality.ts';
import { listExperiments } from '../../decide/list-experiments.ts';
import { clearExperimentCache, loadExperiment, type LiveExperiment } from '../../decide/live-experiment.ts';
import { storeExperiment } from '../../decide/store-experiment.ts';
import { ApiError } from '../../http/api-error.ts';
import type { ConsolePage, PageContext } from '../console-page.ts';
import { IntervalChart } from '../interval-chart.tsx';
import { TimeChart } from '../time-chart.tsx';
import { timeWindow } from '../time-window.ts';
import { WindowPicker } from '../window-picker.tsx';
import { experimentSeries } from './experiment-series.ts';
import { DataTable } from '../data-table.tsx';

type OpeView = { weights: Record<string, string>; result?: Awaited<ReturnType<typeof evaluateCandidate>>; error?: string };

const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);

async function chosen(ctx: PageContext, id: string | null): Promise<{ all: LiveExperiment[]; live: LiveExperiment | null }> {
  clearExperimentCache();
  const all = await listExperiments(ctx.env, ctx.site.id);
  const live = (id && all.find((e) => e.id === id)) || all[0] || null;
  return { all, live };
}

function DifferenceRow(props: { name: string; d: Difference | null; digits: number }) {
  return (
    <tr data-row={props.name}>
      <th scope="row">{props.name}</th>
      <td data-col="experiment">{num(props.d?.experiment, props.digits)}</td>
      <td data-col="holdout">{num(props.d?.holdout, props.digits)}</td>
      <td data-col="lift">{num(props.d?.lift, props.digits)}</td>
      <td data-col="low">{num(props.d?.low, props.digits)}</td>
      <td data-col="high">{num(props.d?.high, props.digits)}</td>
    </tr>
  );
}

async function renderExperiments(ctx: PageContext, ope?: OpeView) {
  const { all, live } = await chosen(ctx, ctx.query.get('experiment'));
  const site = encodeURIComponent(ctx.site.id);
  const admin = ctx.role === 'admin';
  if (!live) {
    return (
      <>
        <h1>Experiments</h1>
        <p>No experiment on this site yet. Create one with <code>PUT /v1/admin/sites/{ctx.site.id}/experiments/&lt;id&gt;</code> (see gateway/src/decide/README.md).</p>
      </>
    );
  }
  const window = timeWindow(ctx.query.get('window'));
  // Reports include the last second of decisions only once the object has written its outbox.
  const flushed = await banditStub(ctx.env, ctx.site.id, live.id)
    .flushLog()
    .then(() => true)
    .catch(() => false);
  const [report, buckets] = await Promise.all([experimentReport(ctx.env, ctx.site.id, live), decisionBuckets(ctx.env.DB, ctx.site.id, live.id, window.since, window.bucketMs)]);
  const e = live.experiment;
  const armIds = e.arms.map((a) => a.id);
  const series = experimentSeries(window, armIds, buckets);
  const posterior = new Map(report.arms.map((a) => [a.arm, a]));
  const here = `/console/experiments?site=${site}&experiment=${encodeURIComponent(live.id)}`;
  const inc = report.incrementality;
  return (
    <>
      <h1>Experiments</h1>
      <DataTable id="experiments" columns={['experiment', 'slot', 'status', 'algorithm', 'arms', 'holdout', 'version']}>
        {all.map((x) => (
          <tr data-experiment={x.id}>
            <th scope="row">
              <a href={`/console/experiments?site=${site}&experiment=${encodeURIComponent(x.id)}`} aria-current={x.id === live.id ? 'true' : undefined}>
                {x.id}
              </a>
            </th>
            <td>{x.experiment.slot}</td>
            <td data-col="status">{x.experiment.status}</td>
            <td>{x.experiment.algorithm.type}</td>
            <td data-col="arms">{x.experiment.arms.length}</td>
            <td data-col="holdout">{pct(x.experiment.holdout)}</td>
            <td data-col="version">{x.version}</td>
          </tr>
        ))}
      </DataTable>
      <h2 id="exp-h">
        <code>{live.id}</code>: <span id="exp-status">{e.status}</span> · policy version <code id="policy-version">{report.policyVersion ?? '–'}</code>
      </h2>
      {!flushed && <p class="note">The decision log could not be brought up to date; the last second of decisions may be missing below.</p>}
      <section aria-labelledby="status-h">
        <h3 id="status-h">Pause / stop</h3>
        <p class="note">
          Paused: arms are still drawn from the learned model, rewards are recorded but not learned. Stopped: every visitor gets the default arm (
          <code>{e.defaultArm}</code>). Each change is a new experiment version (audit trail).
        </p>
        {admin ? (
          <div class="row">
            {(['running', 'paused', 'stopped'] as const)
              .filter((s) => s !== e.status)
              .map((s) => (
                <form method="post" action={`/console/experiments/status?site=${site}`} class="inline">
                  <input type="hidden" name="experiment" value={live.id} />
                  <input type="hidden" name="status" value={s} />
                  <button type="submit">{s === 'running' ? 'Resume' : s === 'paused' ? 'Pause' : 'Stop'}</button>
                </form>
              ))}
          </div>
        ) : (
          <p class="note">Pausing and stopping need the admin token; you are signed in read-only.</p>
        )}
      </section>
      <section aria-labelledby="arms-h">
        <h3 id="arms-h">Arms and allocation ({window.key})</h3>
        <WindowPicker current={window.key} site={ctx.site.id} />
        <table class="data" id="arms">
          <thead>
            <tr>
              <th scope="col">arm</th>
              <th scope="col">cost</th>
              <th scope="col">pulls (model)</th>
              <th scope="col">served ({window.key})</th>
              <th scope="col">served share</th>
              <th scope="col">mean propensity</th>
            </tr>
          </thead>
          <tbody>
            {e.arms.map((a) => {
              const al = series.allocation[a.id]!;
              return (
                <tr data-arm={a.id}>
                  <th scope="row">
                    {a.id}
                    {a.id === e.defaultArm ? ' (default)' : ''}
                  </th>
                  <td data-col="cost">{a.cost ?? 0}</td>
                  <td data-col="pulls">{posterior.get(a.id)?.pulls ?? 0}</td>
                  <td data-col="served">{al.served}</td>
                  <td data-col="share">{pct(al.share)}</td>
                  <td data-col="propensity">{num(al.meanPropensity)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p class="note" id="window-totals">
          {series.total} decision(s) in the window: {series.holdout} in the holdout (default arm, not learned), {series.fallback} time-budget fallback(s).
        </p>
      </section>
      <section aria-labelledby="posterior-h">
        <h3 id="posterior-h">Posterior means with 95 % intervals</h3>
        <p class="note">
          {e.algorithm.type === 'thompson'
            ? 'Beta posterior of each arm’s conversion rate; the interval is drawn from 4 000 posterior samples, so it moves slightly between loads.'
            : 'Each arm’s estimated reward at the intercept-only context, with a 95 % normal interval.'}
        </p>
        {report.arms.length > 0 ? (
          <IntervalChart id="posterior" title={`${live.id}: posterior mean per arm`} rows={report.arms.map((a) => ({ label: a.arm, mean: a.mean, low: a.low, high: a.high }))} />
        ) : (
          <p>The experiment’s object holds no learned state yet.</p>
        )}
      </section>
      <section aria-labelledby="time-h">
        <h3 id="time-h">Decisions and rewards over time</h3>
        <div class="charts">
          <TimeChart
            id="decisions"
            title="Decisions and rewarded decisions per bucket"
            x={window.buckets}
            series={[
              { label: 'decisions', values: series.decisions },
              { label: 'rewarded', values: series.rewarded },
            ]}
          />
          <TimeChart id="rewards" title="Summed reward per bucket (by decision time)" x={window.buckets} series={[{ label: 'reward', values: series.rewardSum }]} />
        </div>
        {report.rewards && (
          <table class="data" id="reward-counters">
            <caption>Rewards as the experiment’s object counted them (all time)</caption>
            <thead>
              <tr>
                {Object.keys(report.rewards).map((k) => (
                  <th scope="col">{k}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {Object.entries(report.rewards).map(([k, v]) => (
                  <td data-col={k}>{v}</td>
                ))}
              </tr>
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="inc-h">
        <h3 id="inc-h">Incrementality against the holdout (all logged decisions)</h3>
        <p class="note">
          Holdout share {pct(e.holdout)}: those visitors always get the default arm. Lift = experiment − holdout, with 95 % normal intervals (Wald for the conversion rate,
          Welch for reward per decision). {inc.experimentDecisions} experiment and {inc.holdoutDecisions} holdout decision(s).
        </p>
        {inc.conversionRate ? (
          <table class="data" id="incrementality" data-experiment-decisions={String(inc.experimentDecisions)} data-holdout-decisions={String(inc.holdoutDecisions)}>
            <thead>
              <tr>
                <th scope="col">metric</th>
                <th scope="col">experiment</th>
                <th scope="col">holdout</th>
                <th scope="col">lift</th>
                <th scope="col">95 % low</th>
                <th scope="col">95 % high</th>
              </tr>
            </thead>
            <tbody>
              <DifferenceRow name="conversion rate" d={inc.conversionRate} digits={4} />
              <DifferenceRow name="reward per decision" d={inc.valuePerDecision} digits={4} />
            </tbody>
          </table>
        ) : (
          <p id="incrementality-empty">No lift yet: {e.holdout === 0 ? 'this experiment has no holdout.' : 'the experiment or the holdout has no logged decision.'}</p>
        )}
      </section>
      <section aria-labelledby="ope-h">
        <h3 id="ope-h">Off-policy estimate of a candidate</h3>
        <p class="note">
          What a fixed allocation would have earned on the logged decisions (IPS, SNIPS and doubly robust, with bootstrap 95 % intervals), next to what the logged policy earned.
          Nothing changes: read-only users may run it too.
        </p>
        <form method="post" action={`/console/experiments/ope?site=${site}`}>
          <input type="hidden" name="experiment" value={live.id} />
          {e.arms.map((a) => (
            <label>
              weight of {a.id}{' '}
              <input type="number" name={`w:${a.id}`} min="0" step="any" size={5} value={ope?.weights[a.id] ?? (a.id === e.defaultArm ? '1' : '0')} />
            </label>
          ))}
          <button type="submit">Estimate</button>
        </form>
        {ope?.error && (
          <p class="errors" role="alert" id="ope-error">
            {ope.error}
          </p>
        )}
        {ope?.result && (
          <table class="data" id="ope-result" data-n={String(ope.result.n)}>
            <thead>
              <tr>
                <th scope="col">estimator</th>
                <th scope="col">value</th>
                <th scope="col">95 % low</th>
                <th scope="col">95 % high</th>
              </tr>
            </thead>
            <tbody>
              <tr data-row="logged">
                <th scope="row">logged policy (mean reward)</th>
                <td data-col="value">{num(ope.result.loggedValue)}</td>
                <td>–</td>
                <td>–</td>
              </tr>
              {(['ips', 'snips', 'dr'] as const).map((k) => (
                <tr data-row={k}>
                  <th scope="row">{k.toUpperCase()}</th>
                  <td data-col="value">{num(ope.result![k].value)}</td>
                  <td data-col="low">{num(ope.result![k].low)}</td>
                  <td data-col="high">{num(ope.result![k].high)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">decisions used / effective sample size / largest weight</th>
                <td data-col="n">{ope.result.n}</td>
                <td data-col="ess">{num(ope.result.effectiveSampleSize, 1)}</td>
                <td data-col="max-weight">{num(ope.result.maxWeight, 2)}</td>
              </tr>
            </tbody>
          </table>
        )}
      </section>
      <p>
        <a href={here}>Reload</a>
      </p>
    </>
  );
}

async function liveFrom(ctx: PageContext, form: FormData): Promise<LiveExperiment | null> {
  const id = String(form.get('experiment') ?? '');
  if (!ExperimentId.safeParse(id).success) return null;
  clearExperimentCache();
  return loadExperiment(ctx.env.CONFIG, ctx.site.id, id);
}

/** Experiments (edge bandits): arms, allocation, posteriors, decisions and rewards, lift over the holdout, OPE, pause/stop. */
export const experimentsPage: ConsolePage = {
  slug: 'experiments',
  title: 'Experiments',
  summary: 'Arms, allocation, posterior means with 95 % intervals, decisions and rewards, lift over the holdout, off-policy estimates; pause and stop.',
  render: (ctx) => renderExperiments(ctx),
  actions: {
    async status(ctx, form) {
      const live = await liveFrom(ctx, form);
      const site = encodeURIComponent(ctx.site.id);
      if (!live) return { redirect: `/console/experiments?site=${site}`, flash: 'No such experiment.' };
      const status = String(form.get('status') ?? '');
      if (status !== 'running' && status !== 'paused' && status !== 'stopped') return { redirect: `/console/experiments?site=${site}&experiment=${live.id}`, flash: 'Unknown status.' };
      const now = Date.now();
      const stored = await storeExperiment(ctx.env, ctx.site.id, live.id, { ...live.experiment, status }, `status:${status}`, now);
      await appendAudit(ctx.env.DB, { siteId: ctx.site.id, actor: 'console:admin', action: 'experiment.status', target: `/console/experiments/status`, detail: { experiment: live.id, status, version: stored.version }, at: now });
      return { redirect: `/console/experiments?site=${site}&experiment=${live.id}`, flash: `Experiment ${live.id} is now ${status} (version ${stored.version}).` };
    },
    async ope(ctx, form) {
      const live = await liveFrom(ctx, form);
      if (!live) return { redirect: `/console/experiments?site=${encodeURIComponent(ctx.site.id)}`, flash: 'No such experiment.' };
      ctx.query.set('experiment', live.id);
      const weights: Record<string, string> = {};
      const numeric: Record<string, number> = {};
      for (const a of live.experiment.arms) {
        const raw = String(form.get(`w:${a.id}`) ?? '0').trim() || '0';
        weights[a.id] = raw;
        const n = Number(raw);
        if (!Number.isFinite(n) || n < 0) return { body: await renderExperiments(ctx, { weights, error: `weight of ${a.id}: a number ≥ 0, not "${raw.slice(0, 20)}"` }), status: 422 };
        numeric[a.id] = n;
      }
      try {
        await banditStub(ctx.env, ctx.site.id, live.id).flushLog().catch(() => undefined);
        const result = await evaluateCandidate(ctx.env, ctx.site.id, live, { candidate: { type: 'fixed', weights: numeric } });
        return { body: await renderExperiments(ctx, { weights, result }) };
      } catch (error) {
        if (error instanceof ApiError && error.status < 500) return { body: await renderExperiments(ctx, { weights, error: error.message }), status: 422 };
        throw error;
      }
    },
  },
  safeActions: ['ope'],
};
