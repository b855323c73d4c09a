/** Observability: structured logs with request ids and W3C trace context, `/metrics`, `/healthz`. */
export { observeRequests, type RequestContextVariables } from './request-context.ts';
export { logJson, type LogFields } from './log-json.ts';
export { parseTraceparent, childSpan, formatTraceparent, type TraceContext } from './traceparent.ts';
export { metricsRoute, isScrapeToken, METRICS_TOKEN_NAMES } from './metrics-route.ts';
export { healthRoute, bindingStates, type BindingState } from './health-route.ts';
export { countIngest, ingestCounterStatements, ingestIncrements } from './ingest-metrics.ts';
export { addToCounters, histogramObservation, storedSamples, labelKey, LATENCY_BUCKETS_SECONDS, type CounterIncrement } from './metric-counters.ts';
export { METRIC_FAMILIES, storedFamily, type MetricFamily } from './metric-families.ts';
export { formatPrometheus, type FamilyText, type Sample } from './prometheus-text.ts';
