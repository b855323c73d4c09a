import type { DestinationConfig } from '../site-config/site-config.ts';
import type { Destination } from './destination.ts';
import { ga4Destination } from './ga4/index.ts';
import { googleAdsDestination } from './google-ads/index.ts';
import { metaDestination } from './meta/index.ts';
import { tiktokDestination } from './tiktok/index.ts';
import { warehouseDestination } from './warehouse/index.ts';

type AdapterFor<K extends DestinationConfig['type']> = Destination<Extract<DestinationConfig, { type: K }>, unknown>;

/** Every destination type the gateway can forward to, by its config `type`. Adding one: a folder, its config schema, a line here. */
const destinations: { [K in DestinationConfig['type']]: AdapterFor<K> } = {
  meta: metaDestination as AdapterFor<'meta'>,
  ga4: ga4Destination as AdapterFor<'ga4'>,
  google_ads: googleAdsDestination as AdapterFor<'google_ads'>,
  tiktok: tiktokDestination as AdapterFor<'tiktok'>,
  warehouse: warehouseDestination as AdapterFor<'warehouse'>,
};

/** The adapter for a destination config. */
export function destinationFor(config: DestinationConfig): Destination<DestinationConfig, unknown> {
  return destinations[config.type] as Destination<DestinationConfig, unknown>;
}

/** Which browser pixel deduplicates with a destination's server events (for the dedup auditor). */
export const PIXEL_VENDOR: { [K in DestinationConfig['type']]: 'meta' | 'google' | 'tiktok' | null } = {
  meta: 'meta',
  ga4: 'google',
  google_ads: 'google',
  tiktok: 'tiktok',
  warehouse: null,
};
