import type { Event } from '@sluice/protocol';
import type { SiteConfig } from '../site-config/site-config.ts';
import type { DeliveryConsent, Destination, IdentityIssue, RequestFacts } from './destination.ts';

/** A destination's item for one event, with the identity issues met on the way (`invalid_phone`). */
export interface PreparedItem<Item> {
  item: Item | null;
  issues: IdentityIssue[];
}

/** The facts `toItem` reads, with the site's identity settings and the issue sink of the current item. */
export type ItemContext = RequestFacts & { issues: Set<IdentityIssue> };

/**
 * Item contexts for one destination's items: the request's facts (with the item's IP, which
 * minimization may have generalized), the site's `defaultCountry`, and an issue sink emptied per
 * item. One object per distinct (facts, IP) rather than two spreads per item (issue 14).
 */
export class ItemContexts {
  #facts: RequestFacts | undefined;
  #ip: string | undefined;
  #context: ItemContext | undefined;
  constructor(private readonly site: Pick<SiteConfig, 'defaultCountry'>) {}

  /**
   * The context of the next item; valid until the next call. `ip` is explicit (no default): an IP
   * that minimization dropped is `undefined` and must stay so.
   */
  for(facts: RequestFacts, ip: string | undefined): ItemContext {
    if (this.#context === undefined || this.#facts !== facts || this.#ip !== ip) {
      this.#context = { ...facts, ip, defaultCountry: this.site.defaultCountry, issues: new Set() };
      this.#facts = facts;
      this.#ip = ip;
    } else this.#context.issues.clear();
    return this.#context;
  }
}

/**
 * `destination.toItem` for a single item, with the site's identity settings and an issue sink
 * (the policy simulator; ingest keeps one `ItemContexts` per destination).
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
  const context = new ItemContexts(site).for(facts, facts.ip);
  const item = await destination.toItem(event, context, config, consent);
  return { item, issues: [...context.issues] };
}
