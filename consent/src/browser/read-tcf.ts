import type { SignalReader } from './browser-signals.ts';

interface TcData {
  tcString?: string;
  eventStatus?: string;
  gdprApplies?: boolean;
  listenerId?: number;
  purpose?: { consents?: Record<string, boolean>; legitimateInterests?: Record<string, boolean> };
}
type TcfApi = (command: string, version: number, callback: (data: TcData, success: boolean) => void, parameter?: unknown) => void;

/** TCF CMP API v2.2: only these event statuses carry a final choice (`cmpuishown` does not). */
const FINAL_STATUSES = ['tcloaded', 'useractioncomplete'];

function ids(map: Record<string, boolean> | undefined): number[] {
  return Object.entries(map ?? {}).filter(([, on]) => on).map(([id]) => Number(id)).sort((a, b) => a - b);
}

/**
 * Listens to `__tcfapi('addEventListener', 2, …)` and reports the TC string on every final
 * state (first load and each later user action: users re-open the UI). No CMP → no-op.
 * @example const stop = readTcf(window, (s) => gate.update(s));
 */
export const readTcf: SignalReader = (win, report) => {
  const api = (win as unknown as { __tcfapi?: TcfApi }).__tcfapi;
  if (typeof api !== 'function') return () => undefined;
  let listenerId: number | undefined;
  try {
    api('addEventListener', 2, (data, success) => {
      if (!success || !data) return;
      listenerId ??= data.listenerId;
      if (!FINAL_STATUSES.includes(data.eventStatus ?? '') || typeof data.tcString !== 'string') return;
      report({
        tcf: {
          tcString: data.tcString,
          gdprApplies: data.gdprApplies,
          purposeConsents: ids(data.purpose?.consents),
          purposeLegitimateInterests: ids(data.purpose?.legitimateInterests),
        },
      });
    });
  } catch {
    // A broken CMP must never break the host page (web-vitals habit: feature-detect, catch, do nothing).
  }
  return () => {
    if (listenerId !== undefined) {
      try {
        api('removeEventListener', 2, () => undefined, listenerId);
      } catch {
        /* ignore */
      }
    }
  };
};
