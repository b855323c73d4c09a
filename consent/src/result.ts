/** A decode outcome: the value, or a human-readable reason. Decoders never throw. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Builds a failed decode with a reason that names what was wrong (never the raw input). */
export function failure(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
