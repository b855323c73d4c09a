/** Fields of one structured log line. Only ids, counts, codes and route templates: never personal data. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Writes one JSON log line (Workers Logs and `wrangler tail` index its fields). Callers pass ids
 * and codes only; URLs, bodies and vendor responses never go in.
 *
 * @example logJson('info', 'request', { requestId, route: '/v1/batch', status: 200 })
 */
export function logJson(level: 'info' | 'warn' | 'error', msg: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
