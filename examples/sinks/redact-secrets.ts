import type { ReceivedRequest } from './sink-server.ts';

/** Keys whose values are credentials, in JSON bodies, query strings and headers (lowercased, `-` and `_` alike). */
export const SECRET_KEYS: readonly string[] = [
  'access_token', 'api_secret', 'client_secret', 'refresh_token', 'id_token', 'developer_token', 'login_customer_id_token',
  'authorization', 'x_api_key', 'api_key', 'apikey', 'password', 'token', 'secret',
];

const keyPattern = SECRET_KEYS.map((k) => k.replace(/_/g, '[-_]?')).join('|');
const JSON_VALUE = new RegExp(`("(?:${keyPattern})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const QUERY_VALUE = new RegExp(`\\b((?:${keyPattern})=)[^&\\s"']+`, 'gi');
const FORM_OR_HEADER = new RegExp(`\\b((?:${keyPattern})\\s*:\\s*)(?:Bearer\\s+|Basic\\s+)?[^\\s,;"']+`, 'gi');

/**
 * A line with every credential replaced by `[redacted]`: what the local stack prints of sink
 * traffic (vendor tokens travel in bodies, query strings and headers).
 * @example redactSecrets('{"access_token":"EAAB"}') // '{"access_token":"[redacted]"}'
 */
export function redactSecrets(line: string): string {
  return line
    .replace(JSON_VALUE, (_m, head: string) => `${head}"[redacted]"`)
    .replace(QUERY_VALUE, (_m, head: string) => `${head}[redacted]`)
    .replace(FORM_OR_HEADER, (_m, head: string) => `${head}[redacted]`);
}

/** One sink request as a printable line block, secrets redacted (path, query, the headers that carry tokens, body). */
export function describeRequest(sink: string, request: ReceivedRequest): string {
  const verdict = request.rejectedFor ? `REJECTED: ${request.rejectedFor.join('; ')}` : 'accepted';
  const query = new URLSearchParams(request.query).toString();
  const tokenHeaders = Object.entries(request.headers)
    .filter(([name]) => /authorization|token|key|secret/i.test(name))
    .map(([name, value]) => `${name}: ${value}`)
    .join(' ');
  const lines = [`[${sink} sink] ${request.method} ${request.path}${query ? `?${query}` : ''} ${verdict}`];
  if (tokenHeaders) lines.push(tokenHeaders);
  lines.push(request.body);
  return redactSecrets(lines.join('\n'));
}
