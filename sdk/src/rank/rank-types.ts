/** A candidate the page wants ranked: its id and, when it has one, its category. */
export interface Candidate {
  id: string;
  category?: string;
}

/** Why a ranking is the page's own order (or `model` when a model ranked it). */
export type RankSource = 'model' | 'consent' | 'killed' | 'unavailable' | 'tampered' | 'timeout' | 'unsupported';

/** What `sluice.rank` resolves to: always the candidates, ordered by the model when one ran. */
export interface RankResult {
  items: Candidate[];
  /** Click probabilities in `items` order; null when the page's order was kept. */
  scores: number[] | null;
  source: RankSource;
  /** The model and version that ranked (absent when the page's order was kept). */
  model?: string | null;
  version?: string | null;
  /** Report a click on one of the items (an ordinary event with model name and version, never features). */
  click(id: string): void;
}

/** One feature's contribution to the top item's score (logit scale), on the device only. */
export interface Contribution {
  feature: string;
  value: number;
  contribution: number;
}

/** What `sluice.explain(slot)` returns for the slot's last ranking. */
export interface Explanation {
  slot: string;
  item: string;
  model: string;
  version: string;
  /** `exact` for linear models; `approximation` (occlusion on the logit) otherwise. */
  method: 'exact' | 'approximation';
  score: number;
  contributions: Contribution[];
}

/** `init({ personalize })`: which model to rank with, and how long a page may wait for it. */
export interface PersonalizeOptions {
  model: string;
  /** Longest a `rank` call waits for the model before returning the page's order (default 800 ms). */
  timeoutMs?: number;
  /** A page living longer re-checks its assignment (kill switch, rollback) before a rank, in the background (default 30 s). */
  recheckSeconds?: number;
  /** Drop on-device interaction counts older than this (default 30 days). */
  ttlDays?: number;
  /** `auto` (default): the tiny runtime when it can run the model, onnxruntime-web otherwise. */
  runtime?: 'auto' | 'tiny' | 'onnxruntime';
}
