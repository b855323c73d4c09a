/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { formatRational, parseRational, sub, type Rational } from '@sluice/privacy';
import { listAudit } from '../../audit/append-audit.ts';
import { violationCounts } from '../../plan/violation-counts.ts';
import { budgetLedger } from '../../reports/budget-ledger.ts';
import { loadReportConfig } from '../../reports/report-config.ts';
import { listReleases, type StoredRelease } from '../../reports/release-store.ts';
import { listRetentionRuns, loadDeletion, type DeletionRecord } from '../../rights/index.ts';
import type { ConsolePage } from '../console-page.ts';
import { DataTable } from '../data-table.tsx';

/** Releases and ledger days shown (newest). */
const RELEASE_DAYS = 30;
const MAX_RELEASES = 100;
const MAX_DELETIONS = 20;
const AUDIT_ROWS = 50;

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const exact = (text: string): Rational | null => {
  const r = parseRational(text);
  return r.ok ? r.value : null;
};
/** An exact rational as the ledger keeps it, with its decimal value beside it when it is not an integer. */
const showRational = (r: Rational | null) => (r === null ? '–' : r.den === 1n ? formatRational(r) : `${formatRational(r)} (≈ ${(Number(r.num) / Number(r.den)).toPrecision(4)})`);
const noisy = (n: { value: number; interval: [number, number] } | null) => (n === null ? 'suppressed (k floor)' : `${n.value} [${n.interval[0]}, ${n.interval[1]}]`);

function ReleaseCells(props: { release: StoredRelease }) {
  const r = props.release.release;
  return (
    <table class="data" id="release-cells" data-release={props.release.releaseId}>
      <caption>
        Cells of release <code>{props.release.releaseId}</code> ({r.from} to {r.to}): noisy numbers with 95 % intervals, as the report API stored them
      </caption>
      <thead>
        <tr>
          {r.dimensions.map((d) => (
            <th scope="col">{d}</th>
          ))}
          <th scope="col">count</th>
          {r.metrics.includes('sum') && <th scope="col">sum ({r.noise.sum?.unit ?? 'minor units'})</th>}
        </tr>
      </thead>
      <tbody>
        {r.cells.map((c) => (
          <tr data-cell={JSON.stringify(c.key)}>
            {r.dimensions.map((d) => (
              <td>{c.key[d]}</td>
            ))}
            <td data-col="count">{noisy(c.count)}</td>
            {r.metrics.includes('sum') && <td data-col="sum">{noisy(c.sum)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Privacy: DP budget used and left, releases, plan violations, deletions, retention runs, the admin audit. */
export const privacyPage: ConsolePage = {
  slug: 'privacy',
  title: 'Privacy',
  summary: 'Privacy budget used and left per day, DP releases, tracking-plan violations, deletions and retention, the admin audit log.',
  async render({ env, site, query }) {
    const since = Date.now() - RELEASE_DAYS * 86_400_000;
    const [config, violations, audit, runs] = await Promise.all([
      loadReportConfig(env.CONFIG, site.id),
      violationCounts(env.DB, site.id),
      listAudit(env.DB, { siteId: site.id, limit: 200 }),
      listRetentionRuns(env.DB, 10),
    ]);
    const [ledger, releases] = config ? await Promise.all([budgetLedger(env, site.id).audit(200), listReleases(env.DB, site.id, since, MAX_RELEASES)]) : [null, [] as StoredRelease[]];
    const deletionIds = audit.filter((a) => a.action === 'deletion.create' && typeof a.detail?.deletionId === 'string').map((a) => a.detail.deletionId as string);
    const deletions = (await Promise.all(deletionIds.slice(0, MAX_DELETIONS).map((id) => loadDeletion(env.DB, id)))).filter((d): d is DeletionRecord => d !== null && d.siteId === site.id);
    const cap = config ? exact(config.budget.epsilonPerDay) : null;
    const chosen = releases.find((r) => r.releaseId === query.get('release')) ?? releases[releases.length - 1];
    const siteQ = encodeURIComponent(site.id);
    return (
      <>
        <h1>Privacy</h1>
        <section aria-labelledby="budget-h">
          <h2 id="budget-h">Privacy budget per day</h2>
          {!config || !ledger ? (
            <p id="no-reports">No report config for this site: nothing is counted for reports and no budget is spent.</p>
          ) : (
            <>
              <p class="note">
                Cap ε = <strong id="epsilon-cap">{config.budget.epsilonPerDay}</strong> per day (δ cap {config.budget.deltaPerDay ?? '0'}). A query is charged on every day of its range before
                any noise is drawn; repeating a released query returns the stored answer and costs nothing. Exact rationals, as the ledger keeps them.
              </p>
              <DataTable id="budget" columns={['day (UTC)', 'ε used', 'ε left', 'δ used']}>
                {[...ledger.spent].reverse().map((d) => {
                  const used = exact(d.epsilon);
                  return (
                    <tr data-day={d.day}>
                      <th scope="row">{d.day}</th>
                      <td data-col="used" data-exact={d.epsilon}>{showRational(used)}</td>
                      <td data-col="left" data-exact={cap && used ? formatRational(sub(cap, used)) : ''}>{cap && used ? showRational(sub(cap, used)) : '–'}</td>
                      <td data-col="delta">{d.delta}</td>
                    </tr>
                  );
                })}
              </DataTable>
              {ledger.spent.length === 0 && <p>No budget spent yet: every day has the full ε = {config.budget.epsilonPerDay} left.</p>}
            </>
          )}
        </section>
        {config && ledger && (
          <section aria-labelledby="releases-h">
            <h2 id="releases-h">Releases (last {RELEASE_DAYS} days)</h2>
            <p class="note">
              Marketing numbers on this console come only from these stored DP releases (the report API), never from raw event counts. Each debit of the ledger is listed with its release.
            </p>
            <DataTable id="releases" columns={['released (UTC)', 'release', 'caller', 'dimensions', 'range', 'ε spent', 'δ', 'cells', 'suppressed']}>
              {[...releases].reverse().map((r) => (
                <tr data-release={r.releaseId}>
                  <td>{r.releasedAt.replace('T', ' ').slice(0, 19)}</td>
                  <td>
                    <a href={`/console/privacy?site=${siteQ}&release=${encodeURIComponent(r.releaseId)}#release-cells`}>
                      <code>{r.releaseId.slice(0, 8)}</code>
                    </a>
                  </td>
                  <td>{r.caller}</td>
                  <td>{r.release.dimensions.join(', ')}</td>
                  <td>
                    {r.release.from} to {r.release.to}
                  </td>
                  <td data-col="epsilon">{r.release.epsilon.spent}</td>
                  <td data-col="delta">{r.release.delta}</td>
                  <td data-col="cells">{r.release.cells.length}</td>
                  <td data-col="suppressed">{r.release.cells.filter((c) => c.count === null).length}</td>
                </tr>
              ))}
            </DataTable>
            {chosen && <ReleaseCells release={chosen} />}
            <h3>Ledger debits (newest first)</h3>
            <DataTable id="debits" columns={['when (UTC)', 'ε', 'δ', 'days', 'caller', 'status']}>
              {ledger.debits.slice(0, 50).map((d) => (
                <tr data-debit={d.id}>
                  <td>{when(d.at)}</td>
                  <td data-col="epsilon">{d.epsilon}</td>
                  <td data-col="delta">{d.delta}</td>
                  <td data-col="days">{d.days.length}</td>
                  <td>{d.caller}</td>
                  <td data-col="status">{d.status}</td>
                </tr>
              ))}
            </DataTable>
          </section>
        )}
        <section aria-labelledby="violations-h">
          <h2 id="violations-h">Tracking-plan violations</h2>
          <p class="note">Counters per event, rule and action since the plan went live (names are made safe before they are counted).</p>
          <DataTable id="violations" columns={['event', 'rule', 'action', 'count', 'last (UTC)']}>
            {violations.map((v) => (
              <tr data-violation={`${v.event}|${v.rule}|${v.action}`}>
                <td>{v.event}</td>
                <td>
                  <code>{v.rule}</code>
                </td>
                <td data-col="action">{v.action}</td>
                <td data-col="count">{v.count}</td>
                <td>{when(v.lastAt)}</td>
              </tr>
            ))}
          </DataTable>
          {violations.length === 0 && <p>No violation counted.</p>}
        </section>
        <section aria-labelledby="deletions-h">
          <h2 id="deletions-h">Deletions</h2>
          <p class="note">Which identifier kinds were given (never the identifiers), what each store purged, and each destination’s answer.</p>
          <DataTable id="deletions" columns={['requested (UTC)', 'id', 'identifiers', 'status', 'rows purged', 'destinations']}>
            {deletions.map((d) => (
              <tr data-deletion={d.id}>
                <td>{when(d.createdAt)}</td>
                <td>
                  <code>{d.id.slice(0, 8)}</code>
                </td>
                <td>{d.identifierKinds.join(', ')}</td>
                <td data-col="status">{d.status}</td>
                <td data-col="purged">{Object.values(d.stores).reduce((a, s) => a + s.removed, 0)}</td>
                <td data-col="destinations">{d.destinations.map((x) => `${x.destination}: ${x.status}`).join('; ') || '–'}</td>
              </tr>
            ))}
          </DataTable>
          {deletions.length === 0 && <p>No deletion requested for this site (in the audit log’s retention).</p>}
          <h3>Retention runs</h3>
          <DataTable id="retention-runs" columns={['ran (UTC)', 'deleted for this site']}>
            {runs.map((r: { id: number; ranAt: number; bySite?: Record<string, Record<string, number>> }) => {
              const mine = r.bySite?.[site.id] ?? {};
              return (
                <tr data-run={String(r.id)}>
                  <td>{when(r.ranAt)}</td>
                  <td data-col="deleted">{Object.entries(mine).map(([k, n]) => `${k}: ${n}`).join(', ') || 'nothing'}</td>
                </tr>
              );
            })}
          </DataTable>
        </section>
        <section aria-labelledby="audit-h">
          <h2 id="audit-h">Admin audit (latest {AUDIT_ROWS})</h2>
          <DataTable id="admin-audit" columns={['when (UTC)', 'actor', 'action', 'target']}>
            {audit.slice(0, AUDIT_ROWS).map((a) => (
              <tr data-audit={String(a.id)}>
                <td>{when(a.createdAt)}</td>
                <td>
                  <code>{a.actor}</code>
                </td>
                <td data-col="action">{a.action}</td>
                <td>
                  <code>{a.target ?? '–'}</code>
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      </>
    );
  },
};
