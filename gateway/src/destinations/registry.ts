import type { DestinationConfig } from '../site-config/site-config.ts';
import type { Destination } from './destination.ts';
import { metaDestination } from './meta/index.ts';

/** Every destination type the gateway can forward to, by its config `type`. */
const destinations: { [K in DestinationConfig['type']]: Destination<Extract<DestinationConfig, { type: K }>, unknown> } = {
  meta: metaDestination as Destination<Extract<DestinationConfig, { type: 'meta' }>, unknown>,
};

/** The adapter for a destination config. */
export function destinationFor(config: DestinationConfig): Destination<DestinationConfig, unknown> {
  return destinations[config.type] as Destination<DestinationConfig, unknown>;
}
