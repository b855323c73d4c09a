/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */

export interface IntervalRow {
  label: string;
  mean: number;
  low: number;
  high: number;
}

export interface IntervalChartProps {
  id: string;
  title: string;
  rows: IntervalRow[];
  /** Decimals in the table (the chart is drawn from the same numbers). */
  digits?: number;
}

const WIDTH = 420;
const ROW = 26;
const LEFT = 110;
const RIGHT = 16;

/**
 * Point estimates with 95 % intervals as a server-drawn SVG (no script: it works with JS off)
 * and a data table with the same numbers for screen readers, keyboards and tests. Infinite
 * bounds (no data yet) are clipped to the axis and shown as `–` in the table.
 */
export function IntervalChart(props: IntervalChartProps) {
  const digits = props.digits ?? 4;
  const finite = props.rows.flatMap((r) => [r.mean, r.low, r.high]).filter(Number.isFinite);
  const min = Math.min(0, ...finite);
  const max = Math.max(min + 1e-9, ...finite);
  const x = (v: number) => LEFT + ((Math.min(Math.max(v, min), max) - min) / (max - min)) * (WIDTH - LEFT - RIGHT);
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
  const height = props.rows.length * ROW + 24;
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`} data-chart-id={props.id}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <svg class="interval-chart" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={`${props.title}: chart; the data table below has the same numbers`}>
        <line x1={x(min)} x2={x(max)} y1={height - 18} y2={height - 18} stroke="#d5dde2" />
        <text x={x(min)} y={height - 4} font-size="10" fill="#56646e">{fmt(min)}</text>
        <text x={x(max)} y={height - 4} font-size="10" fill="#56646e" text-anchor="end">{fmt(max)}</text>
        {props.rows.map((r, i) => {
          const y = i * ROW + 14;
          return (
            <g>
              <text x={LEFT - 8} y={y + 4} font-size="12" text-anchor="end" fill="#1d2a33">{r.label}</text>
              <line x1={x(r.low)} x2={x(r.high)} y1={y} y2={y} stroke="#14606e" stroke-width="2" />
              <line x1={x(r.low)} x2={x(r.low)} y1={y - 5} y2={y + 5} stroke="#14606e" />
              <line x1={x(r.high)} x2={x(r.high)} y1={y - 5} y2={y + 5} stroke="#14606e" />
              <circle cx={x(r.mean)} cy={y} r="4" fill="#14606e" />
            </g>
          );
        })}
      </svg>
      <table class="data" data-table={props.id}>
        <thead>
          <tr>
            <th scope="col">arm</th>
            <th scope="col">mean</th>
            <th scope="col">95 % low</th>
            <th scope="col">95 % high</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr data-row={r.label}>
              <th scope="row">{r.label}</th>
              <td data-col="mean">{fmt(r.mean)}</td>
              <td data-col="low">{fmt(r.low)}</td>
              <td data-col="high">{fmt(r.high)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
