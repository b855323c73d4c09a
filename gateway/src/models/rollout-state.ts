import { z } from 'zod';
import { MODEL_VERSION } from './model-manifest-schema.ts';

/** What the registry serves for one model: which version is live, the canary, the shadow, the kill switch. */
export interface RolloutState {
  /** Increments with every change; the audit row of a change carries the same number. */
  readonly revision: number;
  readonly versions: readonly string[];
  readonly live: string | null;
  /** The live version before the current one: what `rollback` returns to. */
  readonly previousLive: string | null;
  readonly canary: { readonly version: string; readonly percent: number } | null;
  readonly shadow: string | null;
  /** When true every visitor gets no model and the SDK keeps the page's own order. */
  readonly killed: boolean;
}

/** A model that was never published. */
export const EMPTY_ROLLOUT: RolloutState = { revision: 0, versions: [], live: null, previousLive: null, canary: null, shadow: null, killed: false };

const version = z.string().regex(MODEL_VERSION);
/** An admin change to the rollout (the body of `POST /v1/admin/sites/:site/models/:name/rollout`). */
export const RolloutChange = z.discriminatedUnion('action', [
  z.object({ action: z.literal('set-live'), version }),
  z.object({ action: z.literal('canary'), version, percent: z.number().min(0).max(100) }),
  z.object({ action: z.literal('end-canary') }),
  z.object({ action: z.literal('shadow'), version }),
  z.object({ action: z.literal('end-shadow') }),
  z.object({ action: z.literal('rollback') }),
  z.object({ action: z.literal('kill'), killed: z.boolean() }),
]);
export type RolloutChange = z.infer<typeof RolloutChange>;

/** A change the state does not allow (unknown version, nothing to roll back to). */
export interface RolloutRejection {
  readonly error: string;
}

/**
 * The state after a change, or why it cannot apply. Pure: the store records and serves the result.
 * Setting a version live ends a canary of that version; rollback returns to the previous live
 * version and ends any canary.
 *
 * @example
 * applyChange(state, { action: 'canary', version: '1.1.0', percent: 10 });
 */
export function applyChange(state: RolloutState, change: RolloutChange | { action: 'publish'; version: string }): RolloutState | RolloutRejection {
  const known = (v: string) => state.versions.includes(v);
  const next = { ...state, revision: state.revision + 1 };
  switch (change.action) {
    case 'publish':
      return { ...next, versions: [...state.versions, change.version] };
    case 'set-live':
      if (!known(change.version)) return { error: `version ${change.version} is not published` };
      return { ...next, live: change.version, previousLive: state.live === change.version ? state.previousLive : state.live, canary: state.canary?.version === change.version ? null : state.canary };
    case 'canary':
      if (!known(change.version)) return { error: `version ${change.version} is not published` };
      if (change.version === state.live) return { error: `version ${change.version} is already live` };
      return { ...next, canary: { version: change.version, percent: change.percent } };
    case 'end-canary':
      return { ...next, canary: null };
    case 'shadow':
      if (!known(change.version)) return { error: `version ${change.version} is not published` };
      return { ...next, shadow: change.version };
    case 'end-shadow':
      return { ...next, shadow: null };
    case 'rollback':
      if (!state.previousLive) return { error: 'no previous live version to roll back to' };
      return { ...next, live: state.previousLive, previousLive: state.live, canary: null };
    case 'kill':
      return { ...next, killed: change.killed };
  }
}
