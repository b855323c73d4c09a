import type { PolicyView } from '../policy/policy-view.ts';
import type { BrowserSignals } from './browser-signals.ts';

/**
 * Starts the readers the policy view asks for; each is a separate module, loaded only when
 * used (dynamic import → its own chunk in the SDK build). Returns a function stopping them all.
 * @example const stop = await startCmpReaders(window, view, (s) => gate.update(s));
 */
export async function startCmpReaders(win: Window, view: PolicyView, report: (update: Partial<BrowserSignals>) => void): Promise<() => void> {
  const stops: Array<() => void> = [];
  const safeReport = (update: Partial<BrowserSignals>) => {
    try {
      report(update);
    } catch {
      /* never throw into the CMP's callback */
    }
  };
  if (view.read.gpc) stops.push((await import('./read-gpc.ts')).readGpc(win, safeReport));
  if (view.read.gcm) stops.push((await import('./read-consent-mode.ts')).readConsentMode(win, safeReport));
  if (view.read.gpp) stops.push((await import('./read-gpp.ts')).readGpp(win, safeReport));
  if (view.read.tcf) stops.push((await import('./read-tcf.ts')).readTcf(win, safeReport));
  return () => stops.forEach((stop) => stop());
}
