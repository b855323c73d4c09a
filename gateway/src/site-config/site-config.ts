import { z } from 'zod';

/** Meta Conversions API destination. The access token lives in a secret named here, never in KV. */
export const MetaDestinationConfig = z.strictObject({
  type: z.literal('meta'),
  pixelId: z.string().regex(/^\d{5,20}$/, 'pixelId must be the numeric pixel or dataset id'),
  accessTokenSecret: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'accessTokenSecret names a worker secret'),
  testEventCode: z.string().max(64).optional(),
});
export type MetaDestinationConfig = z.infer<typeof MetaDestinationConfig>;

export const DestinationConfig = z.discriminatedUnion('type', [MetaDestinationConfig]);
export type DestinationConfig = z.infer<typeof DestinationConfig>;

/** One site as stored in KV under `site:<id>`. Write keys map to it under `writekey:<key>`. */
export const SiteConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** Exact origins (scheme://host[:port]) whose pages may send events. */
  allowedOrigins: z.array(z.url()).min(1),
  destinations: z.record(z.string().regex(/^[a-z0-9_-]{1,32}$/), DestinationConfig),
});
export type SiteConfig = z.infer<typeof SiteConfig>;
