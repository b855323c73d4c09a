import { z } from 'zod';

const field = z.string().trim().min(1).max(256);

/**
 * Raw contact fields as the site knows them. They exist only in memory at the gateway:
 * normalized and SHA-256-hashed per destination, never logged, stored or forwarded in clear.
 * A value that already is a SHA-256 hex digest is passed through as is.
 */
export const UserFields = z.strictObject({
  email: field.optional(),
  phone: field.optional(),
  firstName: field.optional(),
  lastName: field.optional(),
  city: field.optional(),
  region: field.optional(),
  postalCode: field.optional(),
  country: field.optional(),
  birthdate: field.optional(),
  gender: field.optional(),
  externalId: field.optional(),
});
export type UserFields = z.infer<typeof UserFields>;
