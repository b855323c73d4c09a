import { z } from 'zod';

/** Model names are URL path segments and KV key parts. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Versions too (semver-like, no slashes). */
export const MODEL_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/;
/** Browsers download the file before a first rank: far above the models here (< 1 KB), far below KV's 25 MiB value limit. */
export const MAX_MODEL_BYTES = 4 * 1024 * 1024;

/**
 * What the gateway requires of a published manifest (edge-models' `ModelManifest`): the fields
 * the SDK relies on are checked; metrics and the rest pass through as published.
 */
export const ModelManifestSchema = z.looseObject({
  name: z.string().regex(MODEL_NAME),
  version: z.string().regex(MODEL_VERSION),
  format: z.literal('onnx'),
  file: z.string().min(1).max(128),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive().max(MAX_MODEL_BYTES),
  inputs: z.array(z.object({ name: z.string().min(1), type: z.literal('float32'), shape: z.array(z.union([z.number().int().positive(), z.literal('N')])) })).length(1),
  featureSpec: z.array(z.looseObject({ column: z.number().int().min(0), name: z.string().min(1), device: z.string() })).min(1),
  outputs: z.array(z.looseObject({ name: z.string().min(1), type: z.literal('float32'), semantics: z.string() })).min(1),
  operators: z.array(z.string()),
  explanation: z.enum(['exact-linear', 'approximate-occlusion']),
  created: z.string(),
}).refine((m) => m.inputs[0]!.shape.length === 2 && m.inputs[0]!.shape[1] === m.featureSpec.length && m.featureSpec.every((f, i, all) => f.column < all.length && all.findIndex((g) => g.column === f.column) === i), {
  message: 'featureSpec must name each column of the [N, d] input exactly once',
  path: ['featureSpec'],
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;
