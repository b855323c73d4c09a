import type { BoundedStep, UnitState } from './bound-contribution.ts';

/**
 * The unit's state after a step (pure; the aggregate shard does the same in SQL).
 * @example
 * let state = { kept: [], dropped: [] };
 * state = applyBoundedStep(state, 'p1', boundContribution(state, 'p1', 5n, bounds, rng));
 */
export function applyBoundedStep(state: UnitState, partition: string, step: BoundedStep): UnitState {
  switch (step.kind) {
    case 'new':
      return { kept: [...state.kept, { partition, value: step.value }], dropped: state.dropped };
    case 'raise':
      return { kept: state.kept.map((p) => (p.partition === partition ? { partition, value: step.to } : p)), dropped: state.dropped };
    case 'replace':
      return {
        kept: state.kept.map((p) => (p.partition === step.evict ? { partition, value: step.value } : p)),
        dropped: [...state.dropped, step.evict],
      };
    case 'drop':
      return { kept: state.kept, dropped: [...state.dropped, partition] };
    case 'ignore':
      return state;
  }
}
