/**
 * Segment's clock-skew correction: `timestamp = receivedAt − (sentAt − timestamp)` when the client
 * sent both (its own clock cancels out), else the client's timestamp, else receipt. Never later than
 * receipt (segment-docs `spec/common.md`, "Timestamps").
 * @example correctedTimestamp('2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z', Date.parse('2026-01-01T01:00:10Z')) // '2026-01-01T01:00:00.000Z'
 */
export function correctedTimestamp(timestamp: unknown, sentAt: unknown, receivedAt: number): string {
  const at = parse(timestamp);
  const sent = parse(sentAt);
  let corrected = at ?? receivedAt;
  if (at !== undefined && sent !== undefined) corrected = receivedAt - (sent - at);
  return new Date(Math.min(corrected, receivedAt)).toISOString();
}

function parse(value: unknown): number | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const ms = new Date(value as string).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
