/**
 * A `staleReason` for vendors that refuse events older than `maxAgeS` (`event_time` in unix
 * seconds): the event is set aside alone instead of failing the whole request.
 */
export function staleAfter(vendor: string, maxAgeS: number, days: number) {
  return (eventTimeS: number, now: number): string | undefined =>
    eventTimeS < Math.floor(now / 1000) - maxAgeS ? `stale: ${vendor} event_time is older than ${days} days` : undefined;
}
