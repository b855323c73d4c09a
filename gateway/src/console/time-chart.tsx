/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';

export interface ChartSeries {
  label: string;
  /** One value per bucket; null = no data in that bucket (drawn as a gap). */
  values: Array<number | null>;
}

export interface TimeChartProps {
  id: string;
  title: string;
  /** Bucket starts, epoch ms. */
  x: number[];
  series: ChartSeries[];
  /** `%` renders values as shares (0–100). */
  unit?: '' | '%';
}

/** JSON inside <script> must not close the element: `<` is escaped. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function timeLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A time series chart: uPlot draws it in the browser from the embedded JSON (console.js), and the
 * same numbers are in a data table for screen readers, keyboards and tests; rows with data only.
 */
export function TimeChart(props: TimeChartProps) {
  const data = { x: props.x.map((t) => t / 1000), series: props.series, unit: props.unit ?? '' };
  const rows = props.x.map((t, i) => ({ t, values: props.series.map((s) => s.values[i] ?? null) })).filter((r) => r.values.some((v) => v !== null && v !== 0));
  const fmt = (v: number | null) => (v === null ? '–' : props.unit === '%' ? `${v.toFixed(1)} %` : String(v));
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`} data-chart-id={props.id}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div class="chart-canvas" data-chart={props.id} role="img" aria-label={`${props.title}: chart; the data table below has the same numbers`}></div>
      <script type="application/json" id={`${props.id}-data`}>{raw(scriptJson(data))}</script>
      <details>
        <summary>Data table ({rows.length} {rows.length === 1 ? 'bucket' : 'buckets'} with data)</summary>
        <table class="data" data-table={props.id}>
          <thead>
            <tr>
              <th scope="col">bucket (UTC)</th>
              {props.series.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{timeLabel(r.t)}</th>
                {r.values.map((v, i) => (
                  <td data-series={props.series[i]!.label}>{fmt(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
