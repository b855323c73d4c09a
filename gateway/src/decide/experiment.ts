import { z } from 'zod';
import { specDimension, validatePolicyConfig, type ContextualPolicy } from '@sluice/edge-models/bandits';

/** Experiment and arm ids: lowercase, no dots (a decision id is `<experiment>.<uuid>`). */
export const ExperimentId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _ (no dots), at most 63');
/** ISO 8601 durations, as in consent policies (`P7D`, `PT30M`). */
const Duration = z.string().regex(/^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/, 'an ISO 8601 duration such as P7D or PT30M');

const Feature = z.discriminatedUnion('type', [
  z.strictObject({ name: z.string().min(1).max(64), type: z.literal('numeric'), min: z.number().optional(), max: z.number().optional() }),
  z.strictObject({ name: z.string().min(1).max(64), type: z.literal('category'), values: z.array(z.string().min(1).max(64)).min(1).max(64) }),
]);

const Algorithm = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('thompson'), priorAlpha: z.number().positive().optional(), priorBeta: z.number().positive().optional() }),
  z.strictObject({ type: z.literal('lints'), lambda: z.number().positive().optional(), scale: z.number().positive().optional() }),
  z.strictObject({ type: z.literal('linucb'), lambda: z.number().positive().optional(), alpha: z.number().nonnegative().optional() }),
  z.strictObject({ type: z.literal('epsilon-greedy'), epsilon: z.number().min(0).max(1).optional() }),
  z.strictObject({ type: z.literal('uniform') }),
]);

/** Largest context a linear bandit may declare: the state is K·d² numbers, kept small for a Durable Object. */
export const MAX_CONTEXT_DIMENSION = 64;
/**
 * Most arms per experiment: the Thompson/LinTS integrals cost O(K²·48) CDF evaluations per
 * probability vector, about 20k at K = 20 (well under a millisecond), and grow quadratically.
 */
export const MAX_ARMS = 20;

/**
 * An experiment as the admin API accepts it (JSON or YAML). The reward is a conversion event
 * (1), a conversion's value minus the arm's cost, or an explicit reward; only rewards inside
 * `reward.window` of the decision count.
 */
export const Experiment = z
  .strictObject({
    slot: z.string().min(1).max(128),
    arms: z.array(z.strictObject({ id: ExperimentId, payload: z.unknown().optional(), cost: z.number().nonnegative().optional() })).min(1).max(MAX_ARMS),
    defaultArm: ExperimentId,
    algorithm: Algorithm,
    context: z.strictObject({ features: z.array(Feature).max(32), dimension: z.number().int().min(1).max(MAX_CONTEXT_DIMENSION) }).default({ features: [], dimension: 1 }),
    floor: z.number().min(0).max(1).default(0),
    guardrails: z
      .strictObject({
        minSamplesPerArm: z.number().int().min(0).max(1_000_000).optional(),
        maxShiftPerUpdate: z.number().gt(0).max(1).optional(),
        frequencyCap: z.number().int().min(1).max(1_000_000).optional(),
      })
      .default({}),
    sticky: z.boolean().default(false),
    reward: z
      .strictObject({ type: z.enum(['conversion', 'value', 'explicit']), event: z.string().min(1).max(128).default('Purchase'), window: Duration.default('P7D') })
      .default({ type: 'conversion', event: 'Purchase', window: 'P7D' }),
    holdout: z.number().min(0).max(0.5).default(0),
    status: z.enum(['running', 'paused', 'stopped']).default('running'),
    /** Time budget of one decide: past it the gateway serves the default arm (propensity 1, logged as a fallback). */
    budgetMs: z.number().int().min(1).max(1000).default(50),
    /** Decision log retention. */
    retention: Duration.default('P90D'),
  })
  .superRefine((e, ctx) => {
    const ids = e.arms.map((a) => a.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['arms'], message: 'arm ids must be unique' });
    if (!ids.includes(e.defaultArm)) ctx.addIssue({ code: 'custom', path: ['defaultArm'], message: `defaultArm "${e.defaultArm}" is not an arm` });
    if (specDimension(e.context) !== e.context.dimension) {
      ctx.addIssue({ code: 'custom', path: ['context', 'dimension'], message: `features make dimension ${specDimension(e.context)}, not ${e.context.dimension}` });
    }
    const error = validatePolicyConfig(toPolicy(e).config);
    if (error) ctx.addIssue({ code: 'custom', path: ['algorithm'], message: error });
  });
export type Experiment = z.infer<typeof Experiment>;

/** The pure policy the Durable Object and the `sluice-bandit` CLI run for this experiment. */
export function toPolicy(e: Pick<Experiment, 'arms' | 'context' | 'algorithm' | 'floor' | 'guardrails'>): ContextualPolicy {
  return {
    config: { arms: e.arms.length, dimension: e.context.dimension, algorithm: e.algorithm, floor: e.floor, guardrails: e.guardrails },
    context: e.context,
  };
}

/** The parts whose change makes the learned state meaningless (a new model starts from the prior). */
export function modelShape(e: Experiment): string {
  return JSON.stringify([e.arms.map((a) => a.id), e.algorithm, e.context]);
}
