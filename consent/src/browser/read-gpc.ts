import type { SignalReader } from './browser-signals.ts';

/** `navigator.globalPrivacyControl` (a boolean; some old docs showed strings, so only `true` counts). */
export const readGpc: SignalReader = (win, report) => {
  const value = (win.navigator as Navigator & { globalPrivacyControl?: unknown }).globalPrivacyControl;
  report({ gpc: value === true });
  return () => undefined;
};
