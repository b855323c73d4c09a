/**
 * Loads one of the SDK's optional chunks from the gateway that served the SDK (first-party, same
 * version). Optional parts — the IndexedDB queue adapter, the consent gate and CMP readers — stay
 * out of the core this way, and the script-tag build (which cannot code-split) gets them too.
 */
/** Replaced at build time with the SDK package version (rollup.config.mjs). */
declare const __SLUICE_VERSION__: string;

export function loadChunk<T>(endpoint: string, name: 'idb' | 'consent' | 'decide' | 'rank' | 'ort'): Promise<T> {
  return import(/* @vite-ignore */ `${endpoint.replace(/\/$/, '')}/sdk/${__SLUICE_VERSION__}/sluice-${name}.js`) as Promise<T>;
}
