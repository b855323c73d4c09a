/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { destinationStatus } from '../../admin/destination-status.ts';
import { listDeadLetters } from '../../admin/dead-letter-rows.ts';
import { replayDeadLetters } from '../../admin/replay-dead-letters.ts';
import { dedupReport } from '../../dedup-audit/dedup-report.ts';
import type { ConsolePage } from '../console-page.ts';
import { TimeChart } from '../time-chart.tsx';
import { WindowPicker } from '../window-picker.tsx';
import { timeWindow } from '../time-window.ts';
import { DELIVERY_OUTCOMES, deliveryLatency, deliverySeries } from './delivery-series.ts';
import { DataTable } from '../data-table.tsx';

const DEDUP_DAYS = 7;

/** Delivery: what reached each destination, what is retrying or dead, why, and dedup with the browser pixel. */
export const deliveryPage: ConsolePage = {
  slug: 'delivery',
  title: 'Delivery',
  summary: 'Per destination: delivered, retrying, dead-lettered, dropped by consent, expired; latency; errors; dead letters; dedup.',
  async render({ env, site, query, role }) {
    const window = timeWindow(query.get('window'));
    const [status, series, latency, letters, dedup] = await Promise.all([
      destinationStatus(env, site),
      deliverySeries(env, site.id, window),
      deliveryLatency(env, site.id, window.since),
      listDeadLetters(env, { siteId: site.id, open: true, limit: 50 }),
      dedupReport(env, site, Date.now() - DEDUP_DAYS * 86_400_000),
    ]);
    const destinations = Object.keys(site.destinations);
    const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);
    return (
      <>
        <h1>Delivery</h1>
        <WindowPicker current={window.key} site={site.id} />
        <section aria-labelledby="totals-h">
          <h2 id="totals-h">Per destination, since the delivery log began</h2>
          <table class="data" id="delivery-totals">
            <thead>
              <tr>
                <th scope="col">destination</th>
                <th scope="col">type</th>
                <th scope="col">delivered</th>
                <th scope="col">retries</th>
                <th scope="col">dead-lettered</th>
                <th scope="col">dropped by consent</th>
                <th scope="col">expired</th>
                <th scope="col">duplicates</th>
                <th scope="col">open dead letters</th>
                <th scope="col">latency p50 / p95 ({window.key})</th>
              </tr>
            </thead>
            <tbody>
              {destinations.map((d) => {
                const s = status[d]!;
                return (
                  <tr data-destination={d}>
                    <th scope="row">{d}</th>
                    <td>{s.type}</td>
                    <td data-col="delivered">{s.delivered}</td>
                    <td data-col="retried">{s.retried}</td>
                    <td data-col="dead_lettered">{s.deadLettered}</td>
                    <td data-col="dropped_consent">{s.droppedByConsent}</td>
                    <td data-col="expired">{(s as unknown as { expired?: number }).expired ?? 0}</td>
                    <td data-col="duplicate">{s.duplicates}</td>
                    <td data-col="open">{s.openDeadLetters}</td>
                    <td data-col="latency">
                      {ms(latency[d]?.p50Ms)} / {ms(latency[d]?.p95Ms)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="charts-h">
          <h2 id="charts-h">Outcomes over time ({window.key}, per {window.bucketMs / 60_000} min)</h2>
          <div class="charts">
            {destinations.map((d) => (
              <TimeChart
                id={`delivery-${d}`}
                title={`${d}: outcomes per bucket`}
                x={window.buckets}
                series={DELIVERY_OUTCOMES.map(([key, label]) => ({ label, values: series[d]?.[key] ?? window.buckets.map(() => 0) }))}
              />
            ))}
          </div>
        </section>
        <section aria-labelledby="errors-h">
          <h2 id="errors-h">Last errors</h2>
          <p class="note">Vendor error texts and our own reasons; event ids only, never payloads or personal data.</p>
          <DataTable id="last-errors" columns={['when (UTC)', 'destination', 'outcome', 'event id', 'reason']}>
            {destinations.flatMap((d) =>
              status[d]!.lastErrors.map((e) => (
                <tr>
                  <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
                  <td>{d}</td>
                  <td>{e.outcome}</td>
                  <td>
                    <code>{e.eventId}</code>
                  </td>
                  <td>{e.reason}</td>
                </tr>
              )),
            )}
          </DataTable>
        </section>
        <section aria-labelledby="dl-h">
          <h2 id="dl-h">Open dead letters ({letters.length})</h2>
          <form method="post" action={`/console/delivery/replay?site=${encodeURIComponent(site.id)}`}>
            <DataTable id="dead-letters" columns={['replay', 'id', 'destination', 'event id', 'reason', 'since (UTC)']}>
              {letters.map((l) => (
                <tr data-dead-letter={l.id}>
                  <td>
                    <input type="checkbox" name="id" value={String(l.id)} id={`dl-${l.id}`} aria-label={`replay dead letter ${l.id}`} disabled={role !== 'admin'} />
                  </td>
                  <td>
                    <label for={`dl-${l.id}`}>{l.id}</label>
                  </td>
                  <td>{l.destination}</td>
                  <td>
                    <code>{l.eventId}</code>
                  </td>
                  <td>{l.reason}</td>
                  <td>{l.createdAt.replace('T', ' ').slice(0, 19)}</td>
                </tr>
              ))}
            </DataTable>
            {role === 'admin' ? (
              <button type="submit" disabled={letters.length === 0}>
                Replay selected
              </button>
            ) : (
              <p class="note">Replay needs the admin token; you are signed in read-only.</p>
            )}
          </form>
        </section>
        <section aria-labelledby="dedup-h">
          <h2 id="dedup-h">Dedup with browser pixels (last {DEDUP_DAYS} days)</h2>
          <p class="note">
            Of the events each destination accepted from the gateway, the share whose event id the page also reported for the matching browser pixel
            (<code>sluice.reportPixel</code>). Near 0 while a pixel is installed means the vendor counts each conversion twice.
          </p>
          <DataTable id="dedup" columns={['destination', 'pixel', 'server events', 'also sent by pixel', 'match rate']}>
            {Object.entries(dedup).map(([d, r]) => (
              <tr data-destination={d}>
                <th scope="row">{d}</th>
                <td>{r.pixel}</td>
                <td data-col="server">{r.serverEvents}</td>
                <td data-col="matched">{r.alsoSentByPixel}</td>
                <td data-col="share">{r.share === null ? '–' : `${(r.share * 100).toFixed(1)} %`}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      </>
    );
  },
  actions: {
    async replay({ env, site }, form) {
      const ids = form
        .getAll('id')
        .map((v) => Number(v))
        .filter((n) => Number.isInteger(n) && n > 0)
        .slice(0, 500);
      if (ids.length === 0) return { redirect: `/console/delivery?site=${encodeURIComponent(site.id)}`, flash: 'Nothing selected to replay.' };
      const result = await replayDeadLetters(env, site, { ids, limit: ids.length });
      return { redirect: `/console/delivery?site=${encodeURIComponent(site.id)}`, flash: `Replayed ${result.replayed} dead letter(s); ${result.skipped} skipped.` };
    },
  },
};
