import type { Event } from '@sluice/protocol';
import type { Properties, SluiceOptions, UserFields } from './types.ts';
import { uuid } from './uuid.ts';

/** Default batch size: small enough that a batch fits the 64 KB keepalive budget. */
export const DEFAULT_BATCH_SIZE = 20;
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;

/** A minimal client: captures events, batches them and posts to `/v1/batch`. */
export class SluiceClient {
  private readonly queue: Event[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly anonymousId = uuid();
  private userId: string | undefined;
  private user: UserFields | undefined;

  constructor(private readonly options: SluiceOptions) {}

  /** Records a named event; returns its eventId (pass it to browser pixels for dedup). */
  track(event: string, properties?: Properties, user?: UserFields): string {
    return this.push({ type: 'track', event, ...this.common(properties, user) });
  }

  page(name?: string, properties?: Properties): string {
    return this.push({ type: 'page', ...(name ? { name } : {}), ...this.common(properties) });
  }

  identify(userId: string | undefined, user?: UserFields): string {
    this.userId = userId;
    this.user = user;
    return this.push({ type: 'identify', ...this.common(undefined, user) });
  }

  /** Sends everything waiting now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.queue.splice(0);
    if (!events.length) return;
    const url = `${this.options.endpoint.replace(/\/$/, '')}/v1/batch?key=${encodeURIComponent(this.options.writeKey)}`;
    try {
      await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
        headers: { 'content-type': 'text/plain' },
        keepalive: true,
        credentials: 'include',
      });
    } catch (error) {
      this.queue.unshift(...events);
      this.options.onError?.(error);
    }
  }

  private common(properties?: Properties, user?: UserFields) {
    const merged = user ?? this.user;
    return {
      eventId: uuid(),
      timestamp: new Date().toISOString(),
      anonymousId: this.anonymousId,
      ...(this.userId ? { userId: this.userId } : {}),
      ...(properties ? { properties } : {}),
      ...(merged ? { user: merged } : {}),
      context: {
        page: { url: location.href, referrer: document.referrer, title: document.title },
        userAgent: navigator.userAgent,
        locale: navigator.language,
      },
    };
  }

  private push(event: Event): string {
    this.queue.push(event);
    if (this.queue.length >= (this.options.batchSize ?? DEFAULT_BATCH_SIZE)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    return event.eventId;
  }
}
