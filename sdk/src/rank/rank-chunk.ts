/** The lazily loaded personalization chunk (`/sdk/<version>/sluice-rank.js`): feature store, ranker, tiny runtime. */
export { createRanker, type Ranker } from './ranker.ts';
export { deleteFeatures } from './feature-store.ts';
