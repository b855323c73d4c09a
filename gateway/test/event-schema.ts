export { Event as EventSchema } from '@sluice/protocol';
