/**
 * Segment's and RudderStack's `integrations` switches mapped to Sluice destinations: they narrow
 * what consent allows, never widen it.
 * @example integrationsSkip({ All: false, 'Facebook Conversions API': true }, 'ga4', 'ga4') // 'All'
 */
export { integrationsSkip } from './integrations-skip.ts';
export { INTEGRATION_NAMES, integrationType, normalizedIntegrationName, type DestinationType } from './integration-names.ts';
