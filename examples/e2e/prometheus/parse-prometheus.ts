/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * `# HELP`, a `# TYPE` (before the family's samples, once) or a well-formed sample of a declared
 * family; label values are unescaped; histograms must have cumulative buckets ending in `+Inf`
 * equal to `_count`. Anything else throws with the line number.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: ParsedSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(\\{(.*)\\})? (\\S+)( -?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/;

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value ${text}`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length) {
    const m = LABEL.exec(rest);
    if (!m) throw new Error(`line ${line}: bad labels {${text}}`);
    if (m[1]! in labels) throw new Error(`line ${line}: label ${m[1]} twice`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

export function parsePrometheus(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.startsWith('# HELP ')) {
      const [, name, help] = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(raw) ?? [];
      if (!name) throw new Error(`line ${line}: bad HELP`);
      const family = families.get(name) ?? { name, help: '', type: 'untyped' as const, samples: [] };
      family.help = help!;
      families.set(name, family);
      return;
    }
    if (raw.startsWith('# TYPE ')) {
      const [, name, type] = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(raw) ?? [];
      if (!name) throw new Error(`line ${line}: bad TYPE`);
      const family = families.get(name) ?? { name, help: '', type: 'untyped' as const, samples: [] };
      if (family.samples.length) throw new Error(`line ${line}: TYPE after samples of ${name}`);
      family.type = type as ParsedFamily['type'];
      families.set(name, family);
      return;
    }
    if (raw.startsWith('#')) return;
    const m = SAMPLE.exec(raw);
    if (!m) throw new Error(`line ${line}: not a sample: ${raw}`);
    const name = m[1]!;
    const base = [...families.keys()].find((f) => name === f || (families.get(f)!.type === 'histogram' && [`${f}_bucket`, `${f}_sum`, `${f}_count`].includes(name)));
    if (!base) throw new Error(`line ${line}: sample ${name} of no declared family`);
    families.get(base)!.samples.push({ name, labels: parseLabels(m[3] ?? '', line), value: parseValue(m[4]!, line) });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
  const keyOf = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort());
  for (const s of family.samples) {
    const entry = series.get(keyOf(s.labels)) ?? { buckets: [] };
    if (s.name.endsWith('_bucket')) {
      if (s.labels.le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push([parseValue(s.labels.le, 0), s.value]);
    } else if (s.name.endsWith('_count')) entry.count = s.value;
    series.set(keyOf(s.labels), entry);
  }
  for (const [key, { buckets, count }] of series) {
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${family.name}${key}: buckets not cumulative`);
    const inf = sorted.at(-1);
    if (!inf || inf[0] !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    if (count !== inf[1]) throw new Error(`${family.name}${key}: +Inf bucket ${inf[1]} ≠ count ${count}`);
  }
}
