/**
 * Browser side of the consent e2e test, bundled by esbuild at test time: a real IAB CMP
 * (`@iabtechlabtcf/cmpapi`) behind a synchronous `__tcfapi` stub, a `__gpp` stub, the consent
 * gate and CMP readers from `@sluice/consent/browser`, and a minimal queue + sender standing in
 * for the SDK's (owned elsewhere). The test drives it through `window.consentTest`.
 */
import { CmpApi } from '@iabtechlabtcf/cmpapi';
import { createConsentGate, startCmpReaders, type ConsentGate, type PolicyView } from '@sluice/consent/browser';
import type { Event } from '@sluice/protocol';

interface GppListener {
  (data: unknown, success: boolean): void;
}

const log = { sent: [] as string[], dropped: [] as string[], held: [] as string[], released: [] as string[], purged: [] as string[] };
let gate: ConsentGate<Event> | undefined;
let queue: Event[] = [];
let cmp: CmpApi | undefined;
const gppListeners: GppListener[] = [];
let writeKey = '';

function makeEvent(name: string): Event {
  return {
    type: 'track',
    event: name,
    eventId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    anonymousId: 'e2e-anon',
    user: { email: 'jane.e2e@example.com' },
    context: { page: { url: location.href }, userAgent: navigator.userAgent },
  };
}

function enqueue(event: Event): void {
  // Signals as known when the event becomes sendable; the gateway decodes and decides again.
  queue.push({ ...event, consent: gate!.consentSignals() });
}

async function post(events: Event[]): Promise<number> {
  const response = await fetch(`/v1/batch?key=${writeKey}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
  });
  return response.status;
}

const api = {
  log,
  async boot(key: string): Promise<PolicyView> {
    writeKey = key;
    const config = (await (await fetch(`/v1/config?key=${key}`)).json()) as { consent: PolicyView };
    const view = config.consent;
    gate = createConsentGate<Event>({
      policyView: view,
      onDecision: (event, decision) => {
        if (decision === 'send') {
          log.released.push(event.eventId);
          enqueue(event);
        } else log.dropped.push(event.eventId);
      },
    });
    // Purge on withdrawal: re-admit every queued event; what is no longer allowed never leaves.
    gate.onWithdraw(() => {
      const keep: Event[] = [];
      for (const event of queue) {
        if (gate!.admit(event) === 'send') keep.push(event);
        else log.purged.push(event.eventId);
      }
      queue = keep;
    });
    await startCmpReaders(window, view, (update) => gate!.update(update));
    return view;
  },
  track(name: string): { eventId: string; admission: string } {
    const event = makeEvent(name);
    const admission = gate!.admit(event);
    if (admission === 'send') enqueue(event);
    else if (admission === 'drop') log.dropped.push(event.eventId);
    else log.held.push(event.eventId);
    return { eventId: event.eventId, admission };
  },
  async flush(): Promise<number> {
    const events = queue.splice(0);
    if (events.length === 0) return 0;
    log.sent.push(...events.map((e) => e.eventId));
    return post(events);
  },
  /** Bypasses the gate (a tampered or buggy client): the gateway must still decide. */
  async postDirect(name: string, consent: Event['consent']): Promise<{ eventId: string; status: number }> {
    const event = { ...makeEvent(name), consent };
    return { eventId: event.eventId, status: await post([event]) };
  },
  /** The CMP shows its UI, then the user acts (cmpuishown → useractioncomplete). */
  cmpChoice(tcString: string): void {
    cmp ??= new CmpApi(10, 2, true);
    cmp.update(tcString, true);
    cmp.update(tcString, false);
  },
  /** GPP CMP: not ready → section change → ready (the CMP API v1.1 event order). */
  gppChoice(gppString: string, applicableSections: number[], parsedSections: Record<string, unknown>): void {
    const fire = (signalStatus: string) => {
      for (const listener of gppListeners) {
        listener({ eventName: 'signalStatus', listenerId: 1, data: signalStatus, pingData: { gppVersion: '1.1', cmpStatus: 'loaded', signalStatus, gppString, applicableSections, parsedSections } }, true);
      }
    };
    fire('not ready');
    fire('ready');
  },
  queued: () => queue.map((e) => e.eventId),
  status: () => gate?.status(),
  purposes: () => gate?.purposes(),
};

// The `__gpp` stub a GPP CMP would install; listeners are kept so the test can play the CMP.
(window as unknown as { __gpp: unknown }).__gpp = (command: string, callback: GppListener) => {
  if (command === 'addEventListener') {
    gppListeners.push(callback);
    callback({ eventName: 'listenerRegistered', listenerId: 1, data: true, pingData: { signalStatus: 'not ready', gppString: '', applicableSections: [-1] } }, true);
  }
};
(window as unknown as { consentTest: typeof api }).consentTest = api;
