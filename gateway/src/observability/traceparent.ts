/** A W3C Trace Context (`traceparent`, version 00): which trace a request belongs to and its own span. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  /** `01` when the caller sampled the trace. */
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function randomHex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  return [...buffer].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Parses a `traceparent` header; undefined when absent or malformed (all-zero ids are invalid per
 * the spec), so the caller starts a new trace instead of trusting a bad one.
 *
 * @example parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')?.traceId
 */
export function parseTraceparent(header: string | null | undefined): TraceContext | undefined {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

/** A new span in `parent`'s trace, or a new sampled trace when there is no parent. */
export function childSpan(parent?: TraceContext): TraceContext {
  return { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8), flags: parent?.flags ?? '01' };
}

/** The `traceparent` header value of a context. */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}
