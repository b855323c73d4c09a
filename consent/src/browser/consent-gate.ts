import type { ConsentSignals } from '@sluice/protocol';
import type { PolicyView } from '../policy/policy-view.ts';
import type { BrowserSignals } from './browser-signals.ts';
import { anyDestinationOpen, browserPurposes, type PurposeStates } from './browser-purposes.ts';

export type Admission = 'send' | 'hold' | 'drop';

/** Held events are a session buffer, not storage: a page producing more before the CMP answers is misbehaving. */
export const MAX_HELD_EVENTS = 200;

export interface ConsentGateOptions<E> {
  policyView: PolicyView;
  /** Called once per held event when its fate is known: released (`send`) or discarded (`drop`). */
  onDecision: (event: E, decision: 'send' | 'drop') => void;
  /** Injected for tests; defaults to setTimeout/clearTimeout. */
  schedule?: (run: () => void, ms: number) => () => void;
}

export interface ConsentGate<E> {
  /** `send` now, `hold` (the gate keeps it until consent is known), or `drop` (never stored). */
  admit(event: E): Admission;
  /** Readers report final CMP states here. */
  update(signals: Partial<BrowserSignals>): void;
  /** The SDK queue subscribes to purge what withdrawn purposes no longer allow (re-`admit` each queued event). */
  onWithdraw(listener: (purposes: string[]) => void): () => void;
  /** The raw signals to put on each event for the gateway. */
  consentSignals(): ConsentSignals;
  purposes(): PurposeStates;
  status(): 'pending' | 'known' | 'defaulted';
}

/**
 * The SDK's consent gate: holds events until the CMP gives a final answer (up to the policy's
 * `noSignal.waitMs`, then its default), releases held events exactly once, drops what no
 * destination may receive (an event captured while denied is never released by a later grant),
 * and tells the queue about withdrawals so it can purge. The gateway decides again.
 * @example
 * const gate = createConsentGate({ policyView, onDecision: (e, d) => d === 'send' && queue.push(e) });
 * if (gate.admit(event) === 'send') queue.push(event);
 */
export function createConsentGate<E>(options: ConsentGateOptions<E>): ConsentGate<E> {
  const view = options.policyView;
  const schedule = options.schedule ?? ((run, ms) => {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  });
  let signals: BrowserSignals = {};
  let status: 'pending' | 'known' | 'defaulted' = 'pending';
  let states = browserPurposes(view, signals, false);
  const held: E[] = [];
  const withdrawListeners = new Set<(purposes: string[]) => void>();

  const settle = () => {
    const open = anyDestinationOpen(view, states);
    for (const event of held.splice(0)) options.onDecision(event, open ? 'send' : 'drop');
  };
  const cancelTimer = schedule(() => {
    if (status !== 'pending') return;
    status = 'defaulted';
    states = browserPurposes(view, signals, false);
    settle();
  }, view.noSignal.waitMs);

  return {
    admit(event) {
      if (status === 'pending') {
        if (held.length >= MAX_HELD_EVENTS) return 'drop';
        held.push(event);
        return 'hold';
      }
      return anyDestinationOpen(view, states) ? 'send' : 'drop';
    },
    update(update) {
      signals = { ...signals, ...update };
      const known = Boolean(signals.tcf || signals.gpp || signals.consentMode || signals.cmpCategories || signals.gpc === true);
      if (!known && status === 'pending') return;
      const before = states;
      states = browserPurposes(view, signals, known || status === 'defaulted');
      if (status === 'pending') {
        status = 'known';
        cancelTimer();
        settle();
        return;
      }
      const withdrawn = Object.keys(states).filter((p) => before[p] === 'granted' && states[p] === 'denied');
      if (withdrawn.length > 0) for (const listener of withdrawListeners) listener(withdrawn);
    },
    onWithdraw(listener) {
      withdrawListeners.add(listener);
      return () => withdrawListeners.delete(listener);
    },
    consentSignals() {
      const out: ConsentSignals = {};
      if (signals.tcf) out.tcString = signals.tcf.tcString;
      if (signals.gpp) {
        out.gppString = signals.gpp.gppString;
        // `[-1]` = "no section applies" (GPP CMP API): send no gppSid rather than a negative id.
        const sid = signals.gpp.applicableSections.filter((id) => id >= 0);
        if (sid.length > 0) out.gppSid = sid;
      }
      if (signals.consentMode) out.consentMode = signals.consentMode;
      if (signals.cmpCategories) out.cmpCategories = signals.cmpCategories;
      if (signals.gpc !== undefined) out.gpc = signals.gpc;
      return out;
    },
    purposes: () => ({ ...states }),
    status: () => status,
  };
}
