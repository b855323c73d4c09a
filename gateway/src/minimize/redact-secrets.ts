/** JSON keys, query parameters and headers whose value is a credential (compared lowercased). */
export const SECRET_KEYS: readonly string[] = [
  'access_token', 'api_secret', 'apisecret', 'client_secret', 'refresh_token', 'id_token', 'developer-token', 'developer_token',
  'authorization', 'access-token', 'x-api-key', 'api_key', 'apikey', 'password', 'token', 'secret',
];

const keys = SECRET_KEYS.map((k) => k.replace(/[-_]/g, '[-_]?')).join('|');
/** `"access_token":"…"`, `access_token=…`, `Authorization: Bearer …`, `Access-Token: …`. */
const PATTERNS: RegExp[] = [
  new RegExp(`("(?:${keys})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'),
  new RegExp(`\\b((?:${keys})=)[^&\\s"']+`, 'gi'),
  new RegExp(`\\b((?:${keys})\\s*:\\s*)(?:Bearer\\s+|Basic\\s+)?[^\\s,;"']+`, 'gi'),
];

/**
 * A log line with every credential value replaced by `[redacted]`.
 * @example redactSecrets('{"access_token":"EAAB…"}') // '{"access_token":"[redacted]"}'
 */
export function redactSecrets(line: string): string {
  let out = line;
  for (const pattern of PATTERNS) out = out.replace(pattern, (_match, head: string) => `${head}${head.trimEnd().endsWith(':') && head.includes('"') ? '"[redacted]"' : '[redacted]'}`);
  return out;
}
