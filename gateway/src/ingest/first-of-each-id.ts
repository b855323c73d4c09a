/**
 * The events with the first occurrence of each event id, in order: a repeat inside one batch is
 * a duplicate like a repeat across batches (the caller counts it so).
 * @example firstOfEachId([{ eventId: 'a' }, { eventId: 'a' }]) // [{ eventId: 'a' }]
 */
export function firstOfEachId<T extends { eventId: string }>(events: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    out.push(event);
  }
  return out;
}
