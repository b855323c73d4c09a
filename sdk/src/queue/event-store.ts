import type { Event } from '@sluice/protocol';

/** Where queued events wait: memory (always available) or IndexedDB (survives reloads, shared by tabs). */
export interface EventStore {
  /** Adds events, dropping the oldest beyond `max`; returns how many were dropped. */
  add(events: Event[], max: number): Promise<number>;
  /** The oldest `limit` events, in capture order. */
  oldest(limit: number): Promise<Event[]>;
  remove(ids: string[]): Promise<void>;
  /** Removes and returns everything (to move between stores, or to purge). */
  drain(): Promise<Event[]>;
}

/** The in-memory store: what the SDK uses while storage is not allowed. */
export function memoryStore(): EventStore {
  let events: Event[] = [];
  return {
    async add(added, max) {
      events.push(...added);
      const over = Math.max(0, events.length - max);
      events.splice(0, over);
      return over;
    },
    oldest: async (limit) => events.slice(0, limit),
    async remove(ids) {
      const gone = new Set(ids);
      events = events.filter((e) => !gone.has(e.eventId));
    },
    drain: async () => events.splice(0),
  };
}
