import { DEFAULT_URL_RULES, scrubUrl, type UrlRules } from '../../minimize/index.ts';

/**
 * Event properties as they may land in the warehouse: the same rules that scrub URLs (as data, in
 * `minimize/url-rules.ts`) applied to property keys and string values, at any depth. A key that
 * names personal data (`email`, `phone`, `billing_email`, `password`) is removed, a string value
 * that looks like an email or phone number is removed, a URL value is scrubbed.
 * @example warehouseProperties({ value: 42, email: 'j@x.io', note: 'call +49 30 1234567' }) // { value: 42 }
 */
export function warehouseProperties(properties: Record<string, unknown>, rules: UrlRules = DEFAULT_URL_RULES): Record<string, unknown> {
  return cleanObject(properties, rules);
}

function cleanObject(object: Record<string, unknown>, rules: UrlRules): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (personalKey(key, rules)) continue;
    const cleaned = cleanValue(value, rules);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

function cleanValue(value: unknown, rules: UrlRules): unknown {
  if (typeof value === 'string') return cleanString(value, rules);
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, rules)).filter((v) => v !== undefined);
  if (typeof value === 'object' && value !== null) return cleanObject(value as Record<string, unknown>, rules);
  return value;
}

function cleanString(value: string, rules: UrlRules): string | undefined {
  if (/^https?:\/\//i.test(value)) return scrubUrl(value, rules);
  return rules.personalValues.some(({ pattern }) => pattern.test(value)) ? undefined : value;
}

function personalKey(name: string, rules: UrlRules): boolean {
  const key = name.toLowerCase().replaceAll('-', '_');
  if (rules.keepParams.includes(key)) return false;
  return rules.dropParams.includes(key) || rules.dropParamsContaining.some((part) => key.includes(part));
}
