import type { Event } from '@sluice/protocol';
import type { SiteConfig } from '../site-config/site-config.ts';
import type { DeliveryConsent, Destination, IdentityIssue, RequestFacts } from './destination.ts';

/** A destination's item for one event, with the identity issues met on the way (`invalid_phone`). */
export interface PreparedItem<Item> {
  item: Item | null;
  issues: IdentityIssue[];
}

/**
 * `destination.toItem` with the site's identity settings (`defaultCountry`) and an issue sink for
 * this item, so that ingest can count, per destination, phones that could not be sent.
 * @example const { item, issues } = await prepareItem(destination, event, facts, config, consent, site)
 */
export async function prepareItem<Config, Item>(
  destination: Destination<Config, Item>,
  event: Event,
  facts: RequestFacts,
  config: Config,
  consent: DeliveryConsent,
  site: Pick<SiteConfig, 'defaultCountry'>,
): Promise<PreparedItem<Item>> {
  const issues = new Set<IdentityIssue>();
  const item = await destination.toItem(event, { ...facts, defaultCountry: site.defaultCountry, issues }, config, consent);
  return { item, issues: [...issues] };
}
