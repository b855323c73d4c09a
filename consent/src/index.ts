/** @sluice/consent — consent signal readers, policy schema and evaluator (see issue 3). */
export {};
