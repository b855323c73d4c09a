import type { MinimizationRules } from './minimization-rules.ts';
import { scrubText } from './scrub-text.ts';

/**
 * Event properties without personal data: keys that name personal data are removed at any depth,
 * and string values are scrubbed (`scrubText`). Returns the same object when nothing changed.
 * Depth and size are already bounded by the protocol's validation.
 * @example scrubProperties({ sku: 'A-1', customer_email: 'j@x.io', note: 'ring +1 650 555 0100' }, DEFAULT_MINIMIZATION) // { sku: 'A-1', note: 'ring [redacted]' }
 */
export function scrubProperties<T>(value: T, rules: MinimizationRules): T {
  return scrub(value, rules) as T;
}

function personalKey(key: string, rules: MinimizationRules): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return rules.dropPropertyKeysContaining.some((part) => k.includes(part));
}

function scrub(value: unknown, rules: MinimizationRules): unknown {
  if (typeof value === 'string') return rules.scrubPropertyText ? scrubText(value, rules) : value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = scrub(v, rules);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? out : value;
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (personalKey(k, rules)) {
        changed = true;
        continue;
      }
      const s = scrub(v, rules);
      if (s !== v) changed = true;
      out[k] = s;
    }
    return changed ? out : value;
  }
  return value;
}
