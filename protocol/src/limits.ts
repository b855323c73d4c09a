/** At most this many events in one batch (keeps one request well under Workers' CPU budget). */
export const MAX_BATCH_EVENTS = 500;
/** Largest accepted request body: 512 KB. Larger bodies get 413 before they are parsed. */
export const MAX_BATCH_BYTES = 512 * 1024;
/** `fetch(..., { keepalive: true })` bodies are capped at 64 KiB in Chromium/Firefox/WebKit (Fetch spec "inflight keepalive bytes"). */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;
/** Longest string we accept in any free-form property, so one field can't eat the batch budget. */
export const MAX_STRING_LENGTH = 8 * 1024;
/**
 * Deepest nesting of objects and arrays accepted inside `properties` (the top-level object is depth 1).
 * Real event properties are a few levels deep; a bound here keeps every later step (consent transforms,
 * adapters, JSON encoding) free of deep recursion.
 */
export const MAX_PROPERTY_DEPTH = 16;
/** Most objects, arrays and values inside one event's `properties`, counted while checking depth. */
export const MAX_PROPERTY_NODES = 4096;
