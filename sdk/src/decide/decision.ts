/** What `sluice.decide` resolves to. */
export interface Decision {
  /** The arm to render; on fallback the `defaultArm` you passed (or null). */
  arm: string | null;
  /** The arm's payload from the experiment (null on fallback). */
  payload: unknown;
  /** Send it back with rewards; the SDK attaches the session's ids to every `track` as `decisionIds`. */
  decisionId?: string;
  propensity?: number;
  policyVersion?: string;
  /** True when the gateway did not answer in time (or at all) and the default arm is shown. */
  fallback: boolean;
}

/** Options of `sluice.decide`. */
export interface DecideOptions {
  /** Give up after this long and resolve with the default arm (default 300 ms). */
  timeoutMs?: number;
  /** The arm the page renders when there is no decision (what it shows before one arrives). */
  defaultArm?: string;
}
