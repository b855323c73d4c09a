import { uuid } from '../uuid.ts';
import { readLocal, writeLocal } from './device-storage.ts';

/** A session ends after 30 minutes without events (the GA4 and Segment default). */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

const ID_KEY = 'sl_aid';
const SESSION_KEY = 'sl_ses';

let anonymousId: string | undefined;
let session: { id: string; at: number } | undefined;

/** The anonymous visitor id: persisted while storage is allowed, per page otherwise. */
export function visitorId(): string {
  if (!anonymousId) {
    anonymousId = readLocal<string>(ID_KEY) ?? uuid();
    writeLocal(ID_KEY, anonymousId);
  }
  return anonymousId;
}

/** Adopts the id the gateway's HttpOnly first-party cookie carries (it outlives script storage under ITP). */
export function adoptVisitorId(id: string): void {
  anonymousId = id;
  writeLocal(ID_KEY, id);
}

/** Activity is written back at most this often: a burst of events costs one storage write. */
export const SESSION_WRITE_INTERVAL_MS = 5000;
let written = 0;

/** The current session id; a new one after SESSION_TIMEOUT_MS of inactivity. */
export function sessionId(now = Date.now()): string {
  session ??= readLocal(SESSION_KEY);
  if (!session || now - session.at > SESSION_TIMEOUT_MS) {
    session = { id: uuid(), at: now };
    written = 0;
  }
  session.at = now;
  if (now - written > SESSION_WRITE_INTERVAL_MS) {
    written = now;
    writeLocal(SESSION_KEY, session);
  }
  return session.id;
}

/** Forgets the visitor (logout): new anonymous id and session. */
export function resetVisitor(): void {
  anonymousId = uuid();
  session = undefined;
  written = 0;
  writeLocal(ID_KEY, anonymousId);
}
