import type { SignalReader } from './browser-signals.ts';

interface PingData {
  signalStatus?: string;
  gppString?: string;
  applicableSections?: number[];
  parsedSections?: Record<string, unknown>;
}
interface GppEvent {
  eventName?: string;
  listenerId?: number;
  pingData?: PingData;
}
type GppApi = (command: string, callback: (data: GppEvent, success: boolean) => void, parameter?: unknown) => void;

/**
 * Listens to `__gpp('addEventListener', …)` (GPP CMP API v1.1) and reports only when
 * `signalStatus === 'ready'`: a CMP about to change anything first says `not ready`.
 */
export const readGpp: SignalReader = (win, report) => {
  const api = (win as unknown as { __gpp?: GppApi }).__gpp;
  if (typeof api !== 'function') return () => undefined;
  let listenerId: number | undefined;
  try {
    api('addEventListener', (event, success) => {
      if (!success || !event) return;
      listenerId ??= event.listenerId;
      const ping = event.pingData;
      if (ping?.signalStatus !== 'ready' || typeof ping.gppString !== 'string') return;
      report({ gpp: { gppString: ping.gppString, applicableSections: ping.applicableSections ?? [], sections: flatten(ping.parsedSections) } });
    });
  } catch {
    /* never break the host page */
  }
  return () => {
    if (listenerId !== undefined) {
      try {
        api('removeEventListener', () => undefined, listenerId);
      } catch {
        /* ignore */
      }
    }
  };
};

/** parsedSections values are field objects, or arrays of segment objects for multi-segment sections. */
function flatten(parsed: Record<string, unknown> | undefined): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(parsed ?? {})) {
    out[name] = Array.isArray(value) ? Object.assign({}, ...value.filter((v) => v && typeof v === 'object')) : (value as Record<string, unknown>);
  }
  return out;
}
