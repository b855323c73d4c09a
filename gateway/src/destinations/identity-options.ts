import type { Event } from '@sluice/protocol';
import { phoneRegions, type IdentityOptions, type IdentityOutcome } from '../identity/index.ts';
import type { RequestFacts } from './destination.ts';

/**
 * Identity options for one event at one destination: the phone default regions (address
 * country → site `defaultCountry` → request country) and the request's hash memo. The request
 * country counts only while the request's IP may reach this destination: it is derived from the
 * IP, so a consent policy that drops `context.ip` for a destination withholds its country too.
 */
export function identityOptions(event: Event, facts: RequestFacts): IdentityOptions {
  const regions = phoneRegions({
    addressCountry: event.user?.country,
    defaultCountry: facts.defaultCountry,
    requestCountry: facts.ip ? facts.country : undefined,
  });
  return facts.hashes ? { regions, memo: facts.hashes } : { regions };
}

/** The phone's value to send, noting an unusable number (not its value) for the destination's status. */
export function phoneValue(outcome: IdentityOutcome, facts: RequestFacts): string | undefined {
  if (outcome.kind === 'invalid') facts.issues?.add('invalid_phone');
  return outcome.kind === 'value' ? outcome.value : undefined;
}
