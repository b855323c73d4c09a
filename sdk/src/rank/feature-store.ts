import { emptyFeatures, type FeatureState } from './feature-state.ts';

/** The IndexedDB database of the on-device feature store (deleted by `reset()` and on withdrawal). */
export const FEATURE_DB = 'sluice-features';
const STORE = 'state';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(FEATURE_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run<T>(db: IDBDatabase, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = op(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/**
 * Read the stored feature state (an empty one when there is none or IndexedDB is unavailable).
 *
 * @example
 * const state = await readFeatures();
 */
export async function readFeatures(): Promise<FeatureState> {
  try {
    const db = await open();
    const stored = await run<FeatureState | undefined>(db, 'readonly', (s) => s.get('v1'));
    db.close();
    return stored ?? emptyFeatures();
  } catch {
    return emptyFeatures();
  }
}

/**
 * Persist the feature state (one record).
 *
 * @example
 * await writeFeatures(state);
 */
export async function writeFeatures(state: FeatureState): Promise<void> {
  const db = await open();
  await run(db, 'readwrite', (s) => s.put(state, 'v1'));
  db.close();
}

/**
 * Delete the whole feature store.
 *
 * @example
 * await deleteFeatures();
 */
export function deleteFeatures(): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(FEATURE_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
