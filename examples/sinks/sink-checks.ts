/** Shared checks of the local sinks. */

/** SHA-256 hex as every vendor here requires for hashed fields: 64 lowercase hex characters. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems for keys not in the documented list. */
export function unknownKeys(object: Record<string, unknown>, allowed: readonly string[], where: string): string[] {
  return Object.keys(object)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${where}${k} is not a documented field`);
}

/** Problem when a value is present but not a SHA-256 hex digest (or list of them). */
export function hashProblems(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.every((v) => typeof v === 'string' && SHA256_HEX.test(v)) ? [] : [`${where} must be SHA-256 hex (64 lowercase hex chars)`];
}
