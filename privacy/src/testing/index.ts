/** Test helpers of `@sluice/privacy`: a seeded randomness source and statistics. Never import this from production code. */
export { seededSource } from './seeded-source.ts';
export { chiSquare, chiSquareCritical, histogram } from './chi-square.ts';
export { empiricalEpsilon, wilson } from './empirical-epsilon.ts';
