import { z } from 'zod';

const ids = z.array(z.number().int().min(1)).default([]);

/** One vendor's declarations, as in the IAB Global Vendor List (vendor-list.json, GVL v3). */
export const GvlVendor = z.object({
  id: z.number().int().min(1),
  name: z.string().optional(),
  purposes: ids,
  legIntPurposes: ids,
  flexiblePurposes: ids,
  specialPurposes: ids,
  features: ids,
  specialFeatures: ids,
  deletedDate: z.string().optional(),
});
export type GvlVendor = z.infer<typeof GvlVendor>;

/**
 * The part of the Global Vendor List the vendor check needs. The gateway stores it as
 * configuration (consent.md §1.4b) and records `vendorListVersion` in every receipt.
 */
export const Gvl = z.object({
  vendorListVersion: z.number().int().min(1),
  tcfPolicyVersion: z.number().int().min(1).optional(),
  vendors: z.record(z.string().regex(/^\d+$/), GvlVendor),
});
export type Gvl = z.infer<typeof Gvl>;
