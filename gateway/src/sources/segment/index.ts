/**
 * Segment-compatible sources: Segment's HTTP tracking API mapped into Sluice's event model.
 * @example app.route('/segment/v1', segmentRoute) // analytics-node: new Analytics({ writeKey: 'wk:secret', host: 'https://gw.example', path: '/segment/v1/batch' })
 */
export { segmentRoute } from './segment-route.ts';
export { toSluiceEvent, SEGMENT_TYPES, type SegmentType } from './to-sluice-event.ts';
export { segmentConsent } from './segment-consent.ts';
export { segmentCredentials, type SegmentCredentials } from './segment-credentials.ts';
export { eventIdFor } from './event-id-for.ts';
export { correctedTimestamp } from './corrected-timestamp.ts';
export { SEGMENT_EVENT_NAMES, segmentCommerce } from './segment-ecommerce.ts';
