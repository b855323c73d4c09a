/**
 * The script-tag build. The inline snippet (sdk/snippet.html) defines `window.sluice` as a stub
 * that records calls in `sluice.q`; they are replayed here, in order, before the real API
 * replaces the stub.
 */
import * as api from './index.ts';

type Call = [keyof typeof api, unknown[]];
const stub = (globalThis as { sluice?: { q?: Call[] } }).sluice;
for (const [method, args] of stub?.q ?? []) {
  const fn = api[method] as ((...a: unknown[]) => unknown) | undefined; // every export is a function
  fn?.(...args);
}

export default api;
