import type { Event } from '@sluice/protocol';
import type { CallOptions, ConsentState, Properties, SluiceOptions, SluiceStats, UserFields } from './types.ts';
import { buildEvent, type Identity } from './build-event.ts';
import { memoryStore, type EventStore } from './queue/event-store.ts';
import { loadChunk } from './load-chunk.ts';
import { beaconBatch, batchBody, postBatch } from './transport/post-batch.ts';
import { retryDelayMs } from './transport/backoff.ts';
import { splitBatches } from './transport/split-batches.ts';
import { withFlushLock } from './transport/flush-lock.ts';
import { readLocal, removeLocal, setStorageAllowed, storageAllowed, writeLocal } from './identity/device-storage.ts';
import { adoptVisitorId, resetVisitor, visitorId } from './identity/visitor.ts';
import { loadConsentGate } from './consent/load-consent-gate.ts';
import type { ConsentGateLike } from './consent/consent-gate-like.ts';
import { autotrackPageViews } from './autotrack/page-views.ts';
import { reportError } from './safe.ts';
import type { Decision, DecideOptions } from './decide/decision.ts';
import type { Candidate, Explanation, RankResult } from './rank/rank-types.ts';
import type { ChunkHost } from './chunk-host.ts';
import type { Ranker } from './rank/ranker.ts';

type DecideContext = Record<string, string | number> | number[];

export const DEFAULT_BATCH_SIZE = 20;
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
export const DEFAULT_MAX_QUEUE = 1000;
/** The gateway's batch limit (protocol MAX_BATCH_EVENTS); the 60 KB keepalive budget usually binds first. */
export const MAX_EVENTS_PER_REQUEST = 500;
/** Events captured before the consent policy is loaded wait in memory, up to this many. */
export const MAX_PRE_CONSENT_EVENTS = 200;
/** localStorage key for events a leaving page could not hand to the browser (read back on the next load). */
const SPILL_KEY = 'sl_spill';
/** Retry loading the consent policy this often while it is unreachable. */
export const CONSENT_RETRY_MS = 5000;

/** The SDK: capture → consent gate → queue (memory or IndexedDB) → batched, retried sending. */
export class Client implements ChunkHost {
  #store: EventStore = memoryStore();
  #persistent = false;
  /** Store operations run one at a time, in order. */
  #chain: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryAt = 0;
  #attempt = 0;
  /** Events this page captured that no send has confirmed yet: what a beacon sends on pagehide. */
  readonly #unsent = new Map<string, Event>();
  readonly #toStore: Event[] = [];
  #overflowSinceReport = 0;
  #identity: Identity = {};
  #gate: ConsentGateLike<Event> | null = null;
  #preConsent: Event[] | null = null;
  /** CMP categories the page reported before the consent gate had loaded. */
  #categories: Record<string, boolean> | undefined;
  #pixelIds: { eventId: string; vendors: string[] }[] = [];
  readonly #channel: BroadcastChannel | undefined;
  readonly stats: SluiceStats = { queued: 0, sent: 0, droppedOverflow: 0, droppedConsent: 0 };
  /** Decision ids of this session (kept by the decide chunk in sessionStorage), attached to every track. */
  readonly decisions: string[] = readSessionDecisions();
  /** See ChunkHost: set while consent allows personalization (with `init({ personalize })`). */
  seen: Event[] | undefined;
  #ranker: Promise<Ranker> | undefined;

  constructor(readonly options: SluiceOptions) {
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`sluice-${options.writeKey}`) : undefined;
    if (this.#channel) this.#channel.onmessage = (message) => (message.data as string[]).forEach((id) => this.#unsent.delete(id));
    addEventListener('pagehide', () => this.#beacon());
    // Hidden may be the last event a mobile page gets: send now with keepalive (confirmed, then dequeued).
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void this.flush().catch(reportError));
    addEventListener('online', () => {
      this.#retryAt = 0;
      void this.flush();
    });
    if (options.consent) {
      this.#preConsent = [];
      this.#loadConsent();
    } else {
      this.setConsent({ storage: options.persist !== false });
    }
    if (options.autotrack) autotrackPageViews((referrer) => this.page(undefined, undefined, undefined, referrer));
  }

  track(event: string, properties?: Properties, user?: UserFields, options?: CallOptions): string {
    const withDecisions = this.decisions.length ? { decisionIds: this.decisions.slice(), ...properties } : properties;
    return this.#capture(buildEvent({ type: 'track', event }, this.#identity, withDecisions, user, options));
  }

  /** Loads the decide chunk on first use; see sdk/src/decide/decide-chunk.ts. */
  decide(slot: string, context?: DecideContext, options: DecideOptions = {}): Promise<Decision> {
    return this.#chunk<typeof import('./decide/decide-chunk.ts')>('decide').then(
      (chunk) => chunk.decide(this, slot, context, options, storageAllowed),
      () => ({ arm: options.defaultArm ?? null, payload: null, fallback: true }),
    );
  }

  page(name?: string, properties?: Properties, options?: CallOptions, referrer?: string): string {
    return this.#capture(buildEvent({ type: 'page', ...(name ? { name } : {}) }, this.#identity, properties, undefined, options, referrer));
  }

  identify(userId: string | undefined, user?: UserFields, options?: CallOptions): string {
    this.#identity = { ...(userId ? { userId } : {}), ...(user ? { user } : {}) };
    return this.#capture(buildEvent({ type: 'identify' }, this.#identity, undefined, user, options));
  }

  /** Forgets the user, the anonymous id and the on-device features (logout). Queued events keep the ids they had. */
  reset(): void {
    this.#identity = {};
    resetVisitor();
    this.#purge();
  }

  /** Ranks on the device when consent allows personalization; otherwise (or on any failure) the page's order. */
  async rank(slot: string, candidates: Candidate[]): Promise<RankResult> {
    const given: RankResult = { items: candidates, scores: null, source: 'consent', click() {} };
    // A chunk that fails to load (offline, blocked) still answers with the page's order; the chunk's rank never rejects.
    return this.seen ? this.#rank().then((r) => r.rank(slot, candidates), () => ({ ...given, source: 'unavailable' })) : given;
  }

  /** Each feature's contribution to the top item of the slot's last ranking, on the device only. */
  async explain(slot: string): Promise<Explanation | null> {
    // No chunk is loaded without personalization consent.
    return this.seen ? (await this.#rank()).explain(slot) : null;
  }

  /** Tells the SDK which event ids the page also gave to browser pixels (`fbq`, `gtag`, `ttq`), for the dedup audit. */
  reportPixel(eventId: string, vendors: string[]): void {
    this.#pixelIds.push({ eventId, vendors });
    this.#schedule();
  }

  /** What the page or its CMP allows. Storage off: the queue moves to memory and stored ids and events are deleted. */
  setConsent(state: ConsentState): void {
    if (state.categories) {
      this.#categories = state.categories;
      if (this.#gate) this.#updateGate(this.#gate, state.categories);
    }
    if (state.personalization !== undefined) this.#personalize(state.personalization);
    if (state.storage === undefined) return;
    const allowed = state.storage && this.options.persist !== false;
    setStorageAllowed(state.storage);
    this.#run(async () => {
      if (allowed && !this.#persistent && typeof indexedDB !== 'undefined') {
        const next = await (await this.#chunk<typeof import('./queue/idb-chunk.ts')>('idb')).idbStore(this.options.writeKey);
        await next.add(await this.#store.drain(), this.#maxQueue());
        this.#store = next;
        this.#persistent = true;
        // What the last page could neither send nor store (see #beacon); event ids make this idempotent.
        const spilled = readLocal<Event[]>(SPILL_KEY);
        removeLocal([SPILL_KEY]);
        if (spilled?.length) this.#countOverflow(await next.add(spilled, this.#maxQueue()));
        this.#schedule(0);
      } else if (!allowed && this.#persistent) {
        const next = memoryStore();
        await next.add(await this.#store.drain(), this.#maxQueue());
        this.#store = next;
        this.#persistent = false;
        await (await this.#chunk<typeof import('./queue/idb-chunk.ts')>('idb')).deleteIdbStore(this.options.writeKey);
      }
      if (!state.storage) removeLocal(['sl_aid', 'sl_ses', 'sl_attr', SPILL_KEY]);
    });
  }

  /** Sends everything waiting now (all tabs' persisted events, one tab at a time). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#storePending();
    return this.#run(() => withFlushLock(`sluice-flush-${this.options.writeKey}`, () => this.#sendAll()));
  }

  #capture(event: Event): string {
    // An event that cannot be serialized (a circular property) would block the queue forever.
    JSON.stringify(event);
    // The rank chunk reads these (its own visitor's events) into the on-device feature store.
    this.seen?.push(event);
    if (this.#preConsent) {
      if (this.#preConsent.length < MAX_PRE_CONSENT_EVENTS) this.#preConsent.push(event);
      else this.stats.droppedConsent++;
    } else this.#admit(event);
    return event.eventId;
  }

  #admit(event: Event): void {
    const admission = this.#gate ? this.#gate.admit(event) : 'send';
    if (admission === 'send') this.#enqueue(event);
    else if (admission === 'drop') this.stats.droppedConsent++;
    // 'hold': the gate keeps it in memory and hands it back through onDecision
  }

  #enqueue(event: Event): void {
    const withSignals = this.#gate ? { ...event, consent: this.#gate.consentSignals() } : event;
    this.#unsent.set(event.eventId, withSignals);
    this.stats.queued++;
    // Events captured in one task are written in one store operation (one IndexedDB transaction).
    if (this.#toStore.push(withSignals) === 1) queueMicrotask(() => this.#storePending());
    this.#schedule();
  }

  #storePending(): void {
    const events = this.#toStore.splice(0);
    if (events.length) this.#run(async () => this.#countOverflow(await this.#store.add(events, this.#maxQueue())));
  }

  #loadConsent(): void {
    loadConsentGate(this.#url('config'), this.options.endpoint, {
      onDecision: (event, decision) => (decision === 'send' ? this.#enqueue(event) : this.stats.droppedConsent++),
      onChange: (gate) => this.#consentChanged(gate),
    }).then(
      (gate) => {
        this.#gate = gate;
        gate?.onWithdraw(() => this.#purgeWithdrawn());
        if (gate && this.#categories) this.#updateGate(gate, this.#categories);
        if (!gate) this.setConsent({ storage: this.options.persist !== false });
        const waiting = this.#preConsent ?? [];
        this.#preConsent = null;
        waiting.forEach((event) => this.#admit(event));
      },
      (error) => {
        reportError(error);
        setTimeout(() => this.#loadConsent(), CONSENT_RETRY_MS);
      },
    );
  }

  #updateGate(gate: ConsentGateLike<Event>, categories: Record<string, boolean>): void {
    gate.update({ cmpCategories: categories });
    this.#consentChanged(gate);
  }

  /** Storage follows consent: allowed once any purpose is granted, withdrawn with the last one. */
  #consentChanged(gate: ConsentGateLike<Event>): void {
    // A policy without a `personalization` purpose (the built-in default) leaves it to the page's setConsent.
    const personalization = gate.purposes().personalization;
    if (personalization) this.#personalize(personalization === 'granted');
    const granted = gate.status() !== 'pending' && Object.values(gate.purposes()).includes('granted');
    if (granted !== storageAllowed()) this.setConsent({ storage: granted });
  }

  /** Consent withdrawn: queued events that may no longer go anywhere are deleted before they leave. */
  #purgeWithdrawn(): void {
    this.#run(async () => {
      const queued = await this.#store.drain();
      const keep = queued.filter((event) => this.#gate!.admit(event) === 'send');
      for (const event of queued) {
        if (keep.includes(event)) continue;
        this.#unsent.delete(event.eventId);
        this.stats.droppedConsent++;
      }
      await this.#store.add(keep, this.#maxQueue());
    });
  }

  async #sendAll(): Promise<void> {
    if (Date.now() < this.#retryAt) return;
    await this.#sendPixelIds();
    for (;;) {
      const events = await this.#store.oldest(this.#maxQueue());
      if (!events.length) return;
      for (const batch of splitBatches(events, MAX_EVENTS_PER_REQUEST)) {
        const result = await postBatch(this.#batchUrl(), batchBody(batch, this.#overflowSinceReport));
        if (!result.ok && !result.permanent) {
          this.#attempt++;
          this.#retryAt = Date.now() + retryDelayMs(this.#attempt, result.retryAfterMs);
          this.#schedule(this.#retryAt - Date.now());
          return;
        }
        this.#overflowSinceReport = 0;
        this.#attempt = 0;
        if (result.ok) {
          this.stats.sent += batch.length;
          if (result.anonymousId) adoptVisitorId(result.anonymousId);
        } else reportError(new Error(`gateway refused a batch of ${batch.length} events: HTTP ${result.status}`));
        const ids = batch.map((e) => e.eventId);
        await this.#store.remove(ids);
        this.#forget(ids);
      }
    }
  }

  async #sendPixelIds(): Promise<void> {
    if (!this.#pixelIds.length) return;
    const ids = this.#pixelIds.splice(0, MAX_EVENTS_PER_REQUEST);
    await fetch(this.#url('pixel-ids'), { method: 'POST', keepalive: true, credentials: 'include', body: pixelIdsBody(ids) }).catch(reportError);
  }

  /** The page is going away: hand this page's unsent events to the browser to deliver after unload. */
  #beacon(): void {
    try {
      const events = [...this.#unsent.values()];
      const batches = splitBatches(events, MAX_EVENTS_PER_REQUEST);
      while (batches.length && beaconBatch(this.#batchUrl(), batchBody(batches[0]!))) {
        // Kept in the store: a queued beacon may still fail, and the next page resends what is
        // left (the gateway drops repeated event ids). Only this page stops resending them.
        this.#forget(batches.shift()!.map((e) => e.eventId));
      }
      // Over the browser's 64 KB unload budget, and maybe not yet committed to IndexedDB (its
      // writes are asynchronous and die with the page): keep them synchronously for the next page.
      if (batches.length) writeLocal(SPILL_KEY, batches.flat());
      if (this.#pixelIds.length) beaconBatch(this.#url('pixel-ids'), pixelIdsBody(this.#pixelIds.splice(0)));
    } catch (error) {
      reportError(error);
    }
  }

  #forget(ids: string[]): void {
    ids.forEach((id) => this.#unsent.delete(id));
    this.#channel?.postMessage(ids);
  }

  #schedule(delay?: number): void {
    const size = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const wait = delay ?? (this.#unsent.size >= size ? 0 : this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    if (this.#timer !== undefined && wait > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), Math.max(wait, this.#retryAt - Date.now(), 0));
  }

  #countOverflow(dropped: number): void {
    this.#overflowSinceReport += dropped;
    this.stats.droppedOverflow += dropped;
  }

  #maxQueue(): number {
    return this.options.maxQueueSize ?? DEFAULT_MAX_QUEUE;
  }

  #url(path: string): string {
    return `${this.options.endpoint.replace(/\/$/, '')}/v1/${path}?key=${encodeURIComponent(this.options.writeKey)}`;
  }

  /** `id=1` asks the gateway to set its first-party id cookie: only while storage is allowed. */
  #batchUrl(): string {
    return this.#url('batch') + (storageAllowed() ? '&id=1' : '');
  }

  #chunk<T>(name: Parameters<typeof loadChunk>[1]): Promise<T> {
    return loadChunk<T>(this.options.endpoint, name);
  }

  /** Allowed: load the rank chunk when the page is idle. Not allowed: delete the on-device features. */
  #personalize(on: boolean): void {
    if (!this.options.personalize) return;
    if (!on) {
      this.#purge();
      this.seen = undefined;
    } else if (!this.seen) {
      this.seen = [];
      (self.requestIdleCallback ?? setTimeout)(() => void this.#rank().catch(reportError));
    }
  }

  #purge(): void {
    // A loaded ranker sees the new (or no) buffer and stops for good (see rank/ranker.ts).
    this.seen &&= [];
    this.#ranker = undefined;
    try {
      // Also what an earlier page stored, when this page never loaded the chunk.
      indexedDB.deleteDatabase('sluice-features');
    } catch {
      // no IndexedDB here (sandboxed frame): nothing was stored
    }
  }

  #rank(): Promise<Ranker> {
    return (this.#ranker ??= this.#chunk<typeof import('./rank/rank-chunk.ts')>('rank').then((m) =>
      m.createRanker(this, storageAllowed, visitorId)
    ));
  }

  #run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(op);
    this.#chain = next.catch(reportError);
    return next;
  }
}

/** The session's decision ids, written by the decide chunk (key `sl_decs`). */
function readSessionDecisions(): string[] {
  try {
    return JSON.parse(sessionStorage.getItem('sl_decs')!) ?? [];
  } catch {
    return [];
  }
}

function pixelIdsBody(ids: { eventId: string; vendors: string[] }[]): string {
  return JSON.stringify({ sentAt: new Date().toISOString(), ids });
}
