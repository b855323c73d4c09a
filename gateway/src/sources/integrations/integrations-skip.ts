import { integrationType, normalizedIntegrationName, type DestinationType } from './integration-names.ts';

/** Segment's catch-all key: `All: false` turns every destination off unless named `true`. */
const ALL = 'all';

/**
 * Whether the sender's `integrations` switches (Segment's, RudderStack's) turn one of the site's
 * destinations off, and by which key. The most specific key decides: the site's own destination key
 * (`lake`), then the destination names of its type (`INTEGRATION_NAMES`; when several disagree,
 * `false` wins), then `All`; nothing said means on. Names that map to no Sluice destination are
 * ignored. It only narrows: consent is decided first and a switch can never send what consent denies.
 * @example integrationsSkip({ All: false, 'Facebook Conversions API': true }, 'ga4', 'ga4') // 'All'
 * @example integrationsSkip({ 'Google Analytics 4': false }, 'meta', 'meta') // undefined
 */
export function integrationsSkip(integrations: Readonly<Record<string, boolean>> | undefined, type: DestinationType, destinationKey: string): string | undefined {
  if (!integrations) return undefined;
  let byKey: [string, boolean] | undefined;
  let byType: [string, boolean] | undefined;
  let all: [string, boolean] | undefined;
  for (const [name, on] of Object.entries(integrations)) {
    if (name === destinationKey) byKey = [name, on];
    else if (normalizedIntegrationName(name) === ALL) all = [name, on];
    else if (integrationType(name) === type && (byType === undefined || !on)) byType = [name, on];
  }
  const [name, on] = byKey ?? byType ?? all ?? ['', true];
  return on ? undefined : name;
}
