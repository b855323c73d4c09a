import type { Event } from '@sluice/protocol';
import type { ReportConfig } from './report-config.ts';
import { NONE, OTHER_COUNTRIES, PROPERTY_DIMENSIONS, PROPERTY_OF, UNKNOWN_COUNTRY, type Dimension } from './dimensions.ts';
import { normalizeValue } from './normalize-value.ts';

/**
 * The partition an event counts in: its declared dimensions' normalized values, as a canonical
 * JSON object (keys in declaration order). Null when the event is not counted at all (not in
 * the site's `events`, or an identify call).
 * @example
 * partitionOf(event, config, 'DE'); // '{"event":"purchase","utmCampaign":"spring","countryGroup":"eu"}'
 */
export function partitionOf(event: Event, config: ReportConfig, country: string | undefined): string | null {
  const name = event.type === 'track' ? event.event : event.type === 'page' ? 'page' : null;
  if (name === null || !config.events.includes(name)) return null;
  const key: Partial<Record<Dimension, string>> = { event: name };
  for (const dimension of config.dimensions) {
    if (dimension === 'event') continue;
    key[dimension] = dimensionValue(event, dimension, config, country);
  }
  return JSON.stringify(key);
}

function dimensionValue(event: Event, dimension: Dimension, config: ReportConfig, country: string | undefined): string {
  const catalogue = config.catalogue[dimension];
  const utm = event.context?.utm;
  switch (dimension) {
    case 'utmSource':
      return normalizeValue(utm?.source, catalogue);
    case 'utmMedium':
      return normalizeValue(utm?.medium, catalogue);
    case 'utmCampaign':
      return normalizeValue(utm?.campaign, catalogue);
    case 'countryGroup':
      return countryGroup(country, config);
    default:
      if ((PROPERTY_DIMENSIONS as readonly string[]).includes(dimension)) {
        const raw = event.properties?.[PROPERTY_OF[dimension as keyof typeof PROPERTY_OF]];
        return normalizeValue(typeof raw === 'boolean' ? String(raw) : raw, catalogue);
      }
      return NONE;
  }
}

function countryGroup(country: string | undefined, config: ReportConfig): string {
  if (!country || !/^[A-Z]{2}$/.test(country)) return UNKNOWN_COUNTRY;
  for (const [group, members] of Object.entries(config.countryGroups)) if (members.includes(country)) return group;
  return OTHER_COUNTRIES;
}
