/** One sample of a metric family: label values and the number. */
export interface Sample {
  /** Suffix for histograms (`_bucket`, `_sum`, `_count`); empty for counters and gauges. */
  suffix?: '' | '_bucket' | '_sum' | '_count';
  labels: Record<string, string>;
  value: number;
}

export interface FamilyText {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Renders metric families in the Prometheus text exposition format 0.0.4 (`# HELP`, `# TYPE`,
 * then samples, labels escaped). Throws on an invalid metric or label name: that is a bug here,
 * never input.
 *
 * @example formatPrometheus([{ name: 'up', help: 'Up.', type: 'gauge', samples: [{ labels: {}, value: 1 }] }])
 */
export function formatPrometheus(families: FamilyText[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!NAME.test(family.name)) throw new Error(`invalid metric name ${family.name}`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels);
      for (const [key] of labels) if (!LABEL.test(key) || key.startsWith('__')) throw new Error(`invalid label name ${key}`);
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      lines.push(`${family.name}${sample.suffix ?? ''}${text} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
