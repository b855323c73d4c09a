import type { Event } from '@sluice/protocol';
import type { ConsentGateLike } from './consent-gate-like.ts';
import { loadChunk } from '../load-chunk.ts';


export interface ConsentHooks {
  /** A held event's fate is known. */
  onDecision(event: Event, decision: 'send' | 'drop'): void;
  /** The CMP answered or changed its answer. */
  onChange(gate: ConsentGateLike<Event>): void;
}

/**
 * Asks the gateway for the site's policy view (`configUrl`: its `/v1/config?key=…`) and, when there is one, loads the
 * consent chunk (CMP readers + gate, a separate file so the core stays small) from the gateway.
 * Resolves to null when the site has no policy: events then flow ungated, the gateway still decides.
 */
export async function loadConsentGate(configUrl: string, endpoint: string, hooks: ConsentHooks): Promise<ConsentGateLike<Event> | null> {
  const response = await fetch(configUrl, { credentials: 'include' });
  if (!response.ok) throw new Error(`consent config: HTTP ${response.status}`);
  const { consent } = (await response.json()) as { consent: unknown };
  if (!consent) return null;
  const mod = await loadChunk<typeof import('./consent-chunk.ts')>(endpoint, 'consent');
  const gate = mod.createConsentGate<Event>({ policyView: consent as never, onDecision: hooks.onDecision });
  await mod.startCmpReaders(window, consent as never, (update) => {
    gate.update(update);
    hooks.onChange(gate);
  });
  hooks.onChange(gate);
  return gate;
}
