import { describe, expect, it } from 'vitest';
import { childSpan, formatTraceparent, parseTraceparent } from './traceparent.ts';

describe('W3C traceparent', () => {
  it('parses a valid header and continues its trace with a new span', () => {
    const parent = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')!;
    expect(parent).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' });
    const child = childSpan(parent);
    expect(child.traceId).toBe(parent.traceId);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(parent.spanId);
    expect(formatTraceparent(child)).toBe(`00-${parent.traceId}-${child.spanId}-01`);
  });

  it('refuses malformed and all-zero ids, so a new trace starts', () => {
    for (const bad of [undefined, '', 'garbage', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01']) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
    const fresh = childSpan(undefined);
    expect(formatTraceparent(fresh)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(childSpan(undefined).traceId).not.toBe(fresh.traceId);
  });
});
