import type { ConsentSignals } from '@sluice/protocol';

/** The part of `@sluice/consent/browser`'s gate the core uses (types only: the gate is a lazy chunk). */
export interface ConsentGateLike<E> {
  admit(event: E): 'send' | 'hold' | 'drop';
  update(signals: { cmpCategories?: Record<string, boolean> }): void;
  onWithdraw(listener: (purposes: string[]) => void): () => void;
  consentSignals(): ConsentSignals;
  purposes(): Record<string, 'granted' | 'denied'>;
  status(): 'pending' | 'known' | 'defaulted';
}
