import { describe, expect, it } from 'vitest';
import { formatPrometheus } from './prometheus-text.ts';
import { histogramObservation, labelKey } from './metric-counters.ts';
import { ingestIncrements } from './ingest-metrics.ts';

describe('formatPrometheus', () => {
  it('writes HELP, TYPE and samples with escaped label values', () => {
    const text = formatPrometheus([
      { name: 'sluice_x_total', help: 'Line one\nline two \\ end', type: 'counter', samples: [{ labels: { site: 'a"b\\c\nd', code: '' }, value: 3 }] },
      { name: 'sluice_h', help: 'H.', type: 'histogram', samples: [{ suffix: '_bucket', labels: { le: '+Inf' }, value: Infinity }] },
    ]);
    expect(text).toBe(
      '# HELP sluice_x_total Line one\\nline two \\\\ end\n# TYPE sluice_x_total counter\nsluice_x_total{site="a\\"b\\\\c\\nd",code=""} 3\n# HELP sluice_h H.\n# TYPE sluice_h histogram\nsluice_h_bucket{le="+Inf"} +Inf\n',
    );
  });

  it('throws on names the format does not allow (a bug here, never input)', () => {
    expect(() => formatPrometheus([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow();
    expect(() => formatPrometheus([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }])).toThrow();
  });
});

describe('stored counters', () => {
  it('one histogram observation adds to every bucket at or above it, +Inf, sum and count', () => {
    const incs = histogramObservation('h', { site: 's' }, 0.3, [0.1, 0.5, 1]);
    expect(incs).toEqual([
      { name: 'h_bucket', labels: { site: 's', le: '0.1' }, by: 0 },
      { name: 'h_bucket', labels: { site: 's', le: '0.5' }, by: 1 },
      { name: 'h_bucket', labels: { site: 's', le: '1' }, by: 1 },
      { name: 'h_bucket', labels: { site: 's', le: '+Inf' }, by: 1 },
      { name: 'h_sum', labels: { site: 's' }, by: 0.3 },
      { name: 'h_count', labels: { site: 's' }, by: 1 },
    ]);
  });

  it('label sets are keyed independent of order', () => {
    expect(labelKey({ b: '1', a: '2' })).toBe(labelKey({ a: '2', b: '1' }));
  });

  it('a batch answer becomes accepted, duplicate and per-code rejected counts; a refused batch one batch count', () => {
    expect(ingestIncrements('shop', 200, { accepted: 2, duplicates: 1, rejected: [{ code: 'invalid_event' }, { code: 'invalid_event' }] })).toEqual([
      { name: 'sluice_events_total', labels: { site: 'shop', outcome: 'accepted', code: '' }, by: 2 },
      { name: 'sluice_events_total', labels: { site: 'shop', outcome: 'duplicate', code: '' }, by: 1 },
      { name: 'sluice_events_total', labels: { site: 'shop', outcome: 'rejected', code: 'invalid_event' }, by: 1 },
      { name: 'sluice_events_total', labels: { site: 'shop', outcome: 'rejected', code: 'invalid_event' }, by: 1 },
    ]);
    expect(ingestIncrements('unknown', 401, { error: { code: 'unknown_write_key' } })).toEqual([
      { name: 'sluice_batches_rejected_total', labels: { site: 'unknown', status: '401', code: 'unknown_write_key' }, by: 1 },
    ]);
  });
});
