/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ConsolePage } from '../console-page.ts';
import { TimeChart } from '../time-chart.tsx';
import { WindowPicker } from '../window-picker.tsx';
import { timeWindow } from '../time-window.ts';
import { DECISIONS, consentShareSeries, consentShares } from './consent-series.ts';
import { DataTable } from '../data-table.tsx';

const pct = (n: number, total: number) => (total ? `${((n / total) * 100).toFixed(1)} %` : '–');

/** Consent: how often each destination was allowed, limited or denied, per jurisdiction and signal source. */
export const consentPage: ConsolePage = {
  slug: 'consent',
  title: 'Consent',
  summary: 'Share of decisions allowed / limited / denied per jurisdiction and signal source, over time, from the audit trail.',
  async render({ env, site, query }) {
    const window = timeWindow(query.get('window'));
    const shares = await consentShares(env, site.id, window.since);
    const jurisdictions = [...new Set(shares.map((s) => s.jurisdiction))];
    const overall = await consentShareSeries(env, site.id, window);
    const sources = [...new Set(shares.map((s) => s.source))];
    const perJurisdiction = await Promise.all(jurisdictions.map(async (j) => [j, await consentShareSeries(env, site.id, window, { jurisdiction: j })] as const));
    const perSource = await Promise.all(sources.map(async (s) => [s, await consentShareSeries(env, site.id, window, { source: s })] as const));
    const total = shares.reduce((sum, s) => sum + s.total, 0);
    return (
      <>
        <h1>Consent</h1>
        <WindowPicker current={window.key} site={site.id} />
        <p class="note">
          One decision per event and destination, as the consent receipts in the audit trail record them ({total} in the {window.key} window). The signal source
          is the strongest signal the receipt was decided on: TCF, then a GPP US section, GPC, Consent Mode, else none.
        </p>
        <DataTable id="consent-shares" columns={['jurisdiction', 'signal source', 'decisions', 'allowed', 'limited', 'denied']}>
          {shares.map((s) => (
            <tr data-jurisdiction={s.jurisdiction} data-source={s.source}>
              <th scope="row">{s.jurisdiction}</th>
              <td>{s.source}</td>
              <td data-col="total">{s.total}</td>
              <td data-col="allow">
                {pct(s.counts.allow, s.total)} ({s.counts.allow})
              </td>
              <td data-col="limited">
                {pct(s.counts.limited, s.total)} ({s.counts.limited})
              </td>
              <td data-col="deny">
                {pct(s.counts.deny, s.total)} ({s.counts.deny})
              </td>
            </tr>
          ))}
        </DataTable>
        <h2>Per jurisdiction</h2>
        <div class="charts">
          <TimeChart id="consent-all" title="All jurisdictions: share of decisions" x={window.buckets} unit="%" series={DECISIONS.map((d) => ({ label: d, values: overall[d]! }))} />
          {perJurisdiction.map(([j, series]) => (
            <TimeChart id={`consent-${j}`} title={`${j}: share of decisions`} x={window.buckets} unit="%" series={DECISIONS.map((d) => ({ label: d, values: series[d]! }))} />
          ))}
        </div>
        <h2>Per signal source</h2>
        <div class="charts">
          {perSource.map(([source, series]) => (
            <TimeChart id={`consent-source-${source}`} title={`Signal ${source}: share of decisions`} x={window.buckets} unit="%" series={DECISIONS.map((d) => ({ label: d, values: series[d]! }))} />
          ))}
        </div>
      </>
    );
  },
};
