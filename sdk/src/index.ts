/**
 * @sluice/sdk — capture events in the browser and send them to a Sluice gateway.
 * @example
 * import * as sluice from '@sluice/sdk';
 * sluice.init({ endpoint: 'https://t.shop.example', writeKey: 'wk_live_...' });
 * const eventId = sluice.track('Purchase', { value: 42, currency: 'EUR' }, { email: 'jane@example.com' });
 */
import { SluiceClient } from './client.ts';
import type { Properties, SluiceOptions, UserFields } from './types.ts';

export type { SluiceOptions, Properties, UserFields } from './types.ts';
export { SluiceClient } from './client.ts';

let client: SluiceClient | undefined;

/** Starts the SDK. Calls made before `init` are ignored (the script-tag snippet queues them instead). */
export function init(options: SluiceOptions): void {
  client = new SluiceClient(options);
}

export function track(event: string, properties?: Properties, user?: UserFields): string | undefined {
  return client?.track(event, properties, user);
}

export function page(name?: string, properties?: Properties): string | undefined {
  return client?.page(name, properties);
}

export function identify(userId: string | undefined, user?: UserFields): string | undefined {
  return client?.identify(userId, user);
}

export function flush(): Promise<void> {
  return client?.flush() ?? Promise.resolve();
}
