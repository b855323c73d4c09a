import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import { enqueueMessages } from '../delivery/queue-for.ts';
import { destinationFor } from '../destinations/registry.ts';
import { chunk } from '../delivery/group-messages.ts';
import { D1_MAX_BOUND_PARAMETERS } from '../delivery/d1-chunks.ts';
import { outcomeStatements } from '../delivery/delivery-log.ts';
import type { DestinationConfig } from '../site-config/site-config.ts';
import type { DeliveryMessage } from '../delivery/delivery-message.ts';
import { listDeadLetters, type DeadLetterQuery } from './dead-letter-rows.ts';

export interface ReplayResult {
  replayed: number;
  /** Letters left as they are: their destination is no longer configured, or the vendor would refuse the item for its age now. */
  skipped: number;
}

/**
 * Puts open dead letters back on their destination's queue and marks them replayed. The delivery
 * ledger keeps a replay from delivering an event id the destination already accepted.
 */
export async function replayDeadLetters(env: Env, site: SiteConfig, query: Omit<DeadLetterQuery, 'siteId' | 'open'>): Promise<ReplayResult> {
  const letters = await listDeadLetters(env, { ...query, siteId: site.id, open: true });
  const messages: Array<{ type: DestinationConfig['type']; body: DeliveryMessage }> = [];
  const replayedIds: number[] = [];
  const now = Date.now();
  for (const letter of letters) {
    const config = site.destinations[letter.destination];
    if (!config) continue;
    // Replaying an item the vendor refuses for its age would only dead-letter it again.
    if (letter.payload && typeof letter.payload === 'object' && destinationFor(config).staleReason?.(letter.payload as never, now)) continue;
    messages.push({ type: config.type, body: { siteId: site.id, destinationKey: letter.destination, eventId: letter.eventId, item: letter.payload } });
    replayedIds.push(letter.id);
  }
  await enqueueMessages(env, messages);
  if (replayedIds.length) {
    await env.DB.batch([
      ...chunk(replayedIds, D1_MAX_BOUND_PARAMETERS - 1).map((ids) => env.DB.prepare(`UPDATE dead_letters SET replayed_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`).bind(now, ...ids)),
      ...outcomeStatements(env, messages.map((m) => ({ message: m.body, outcome: 'replayed' })), now),
    ]);
  }
  return { replayed: replayedIds.length, skipped: letters.length - replayedIds.length };
}
