/** The lazily loaded IndexedDB chunk (`/sdk/<version>/sluice-idb.js`): only pages that may store load it. */
export { idbStore, deleteIdbStore } from './idb-store.ts';
