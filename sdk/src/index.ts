/**
 * @sluice/sdk — capture events in the browser and send them to a Sluice gateway, consent first.
 * Every call is safe: nothing the SDK does can throw into the page (errors go to `onError`).
 * @example
 * import * as sluice from '@sluice/sdk';
 * sluice.init({ endpoint: 'https://t.shop.example', writeKey: 'wk_live_…', consent: true, autotrack: true });
 * const eventId = sluice.track('Purchase', { value: 42, currency: 'EUR' }, { email: 'jane@example.com' });
 * fbq('track', 'Purchase', { value: 42, currency: 'EUR' }, { eventID: eventId });
 * sluice.reportPixel(eventId, ['meta']);
 */
import { Client } from './client.ts';
import { safe, setErrorHandler } from './safe.ts';
import type { CallOptions, ConsentState, Properties, SluiceOptions, SluiceStats, UserFields } from './types.ts';
import type { Candidate } from './rank/rank-types.ts';

export type { SluiceOptions, Properties, UserFields, CallOptions, ConsentState, SluiceStats } from './types.ts';
export type { Decision, DecideOptions } from './decide/decision.ts';
export type { Candidate, RankResult, Explanation, PersonalizeOptions } from './rank/rank-types.ts';

let client: Client | undefined;

/** Starts the SDK once; later calls are ignored. */
export const init = safe((options: SluiceOptions): void => {
  if (client) return;
  setErrorHandler(options.onError);
  client = new Client(options);
});

/** Records a named event and returns its eventId (give it to browser pixels for dedup). */
export const track = safe((event: string, properties?: Properties, user?: UserFields, options?: CallOptions) =>
  client?.track(event, properties, user, options),
);

/** Records a page view and returns its eventId. */
export const page = safe((name?: string, properties?: Properties, options?: CallOptions) => client?.page(name, properties, options));

/** Sets the user for this and later events; contact fields are hashed by the gateway, per destination. */
export const identify = safe((userId: string | undefined, user?: UserFields, options?: CallOptions) => client?.identify(userId, user, options));

/** Forgets the user and starts a new anonymous id (logout). */
export const reset = safe(() => client?.reset());

/** Sends everything queued now. */
export const flush = safe(async () => client?.flush());

/** Tells the SDK what storage the visitor allows (when the site does not use the built-in consent reader). */
export const setConsent = safe((state: ConsentState) => client?.setConsent(state));

/** Reports that `eventId` was also given to these browser pixels (`meta`, `google`, `tiktok`): feeds the dedup audit. */
export const reportPixel = safe((eventId: string, vendors: string[]) => client?.reportPixel(eventId, vendors));

/**
 * Picks the variant of an edge-personalized slot (a gateway experiment): resolves to the arm and
 * its payload, or — past `timeoutMs` (300 ms) or on any failure — to `defaultArm` with
 * `fallback: true`. Render the default first; swap when it resolves. One decision per slot per
 * session; the session's decision ids ride along on every `track` so conversions reward them.
 * @example
 * sluice.decide('hero', { device: 'mobile' }, { defaultArm: 'classic' }).then((d) => d && render(d.payload));
 */
export const decide = safe((slot: string, context?: Record<string, string | number> | number[], options?: import('./decide/decision.ts').DecideOptions) => client?.decide(slot, context, options));

/**
 * Orders `candidates` for `slot` on the device (the page's order when consent, the model or time does not allow).
 * @example
 * const { items, click } = await sluice.rank('home', products.map((p) => ({ id: p.sku, category: p.category })));
 */
export const rank = safe((slot: string, candidates: Candidate[]) => client?.rank(slot, candidates));

/** Each feature's contribution to the top item of the slot's last ranking; computed and kept on the device. */
export const explain = safe((slot: string) => client?.explain(slot));

/** Queued, sent and dropped counts since the page loaded. */
export const stats = safe((): SluiceStats | undefined => (client ? { ...client.stats } : undefined));
