/**
 * @sluice/consent/browser — CMP readers (`__tcfapi`, `__gpp`, Consent Mode, GPC) and the consent
 * gate the SDK calls. No zod, no decoders: the gateway decodes and decides authoritatively.
 * @example
 * const gate = createConsentGate({ policyView, onDecision });
 * await startCmpReaders(window, policyView, gate.update);
 */
export { createConsentGate, MAX_HELD_EVENTS, type ConsentGate, type ConsentGateOptions, type Admission } from './consent-gate.ts';
export { startCmpReaders } from './start-cmp-readers.ts';
export { browserPurposes, anyDestinationOpen, type PurposeStates } from './browser-purposes.ts';
export type { BrowserSignals, SignalReader } from './browser-signals.ts';
export type { PolicyView } from '../policy/policy-view.ts';
