import type { Event } from '@sluice/protocol';
import type { Properties, SluiceOptions } from './types.ts';

/**
 * What the lazy `decide` and `rank` chunks see of the core: the Client itself, through this narrow
 * view. Passing the Client (not a context object built for each chunk) keeps their plumbing out of
 * the core's bytes.
 */
export interface ChunkHost {
  readonly options: SluiceOptions;
  /** The session's decision ids (sessionStorage `sl_decs`); the decide chunk adds to it, every `track` carries it. */
  readonly decisions: string[];
  /**
   * While consent allows personalization: the events captured since the rank chunk last drained
   * them; undefined otherwise (the chunk then neither counts nor ranks).
   */
  seen: Event[] | undefined;
  track(event: string, properties?: Properties): string;
}
