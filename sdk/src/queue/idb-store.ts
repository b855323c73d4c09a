import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import type { Event } from '@sluice/protocol';
import type { EventStore } from './event-store.ts';

const STORE = 'events';

interface Row {
  eventId: string;
  /** Capture order across tabs: time plus a per-tab counter. */
  seq: number;
  event: Event;
}

let counter = 0;

/** The IndexedDB store, one database per write key, shared by every tab of the site. */
export async function idbStore(writeKey: string): Promise<EventStore> {
  const db: IDBPDatabase = await openDB(`sluice-${writeKey}`, 1, {
    upgrade(d) {
      d.createObjectStore(STORE, { keyPath: 'eventId' }).createIndex('seq', 'seq');
    },
  });
  const oldestRows = (limit?: number) => db.getAllFromIndex(STORE, 'seq', null, limit) as Promise<Row[]>;
  return {
    async add(events, max) {
      const tx = db.transaction(STORE, 'readwrite');
      for (const event of events) void tx.store.put({ eventId: event.eventId, seq: Date.now() * 1000 + (counter++ % 1000), event });
      const total = await tx.store.count();
      const over = Math.max(0, total - max);
      if (over) {
        let cursor = await tx.store.index('seq').openCursor();
        for (let i = 0; i < over && cursor; i++) {
          await cursor.delete();
          cursor = await cursor.continue();
        }
      }
      await tx.done;
      return over;
    },
    oldest: async (limit) => (await oldestRows(limit)).map((row) => row.event),
    async remove(ids) {
      const tx = db.transaction(STORE, 'readwrite');
      for (const id of ids) void tx.store.delete(id);
      await tx.done;
    },
    async drain() {
      const rows = await oldestRows();
      await db.clear(STORE);
      return rows.map((row) => row.event);
    },
  };
}

/** Deletes the database (storage consent withdrawn). */
export async function deleteIdbStore(writeKey: string): Promise<void> {
  await deleteDB(`sluice-${writeKey}`);
}
