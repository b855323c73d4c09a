import { ErrorCode } from '@sluice/protocol';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../http/api-error.ts';
import { readBody } from '../../ingest/read-body.ts';

/** Admin bodies are small documents; 256 KB is far above any real policy or simulate request. */
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

/** Reads a JSON body or throws 400/413 with a clear code. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await readBody(request, MAX_ADMIN_BODY_BYTES);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, ErrorCode.MalformedJson, 'body is not valid JSON');
  }
}

/** YAML aliases can expand exponentially ("billion laughs"); a policy needs none, so allow few. */
export const MAX_YAML_ALIASES = 50;

/**
 * Reads a policy document: JSON, or YAML when the Content-Type says so (`application/yaml`,
 * `text/yaml`, `application/x-yaml`). Both end in the same zod validation.
 */
export async function readDocument(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/\byaml\b/i.test(type)) return readJson(request);
  const text = await readBody(request, MAX_ADMIN_BODY_BYTES);
  try {
    return parseYaml(text, { schema: 'core', maxAliasCount: MAX_YAML_ALIASES, uniqueKeys: true });
  } catch (error) {
    const where = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    throw new ApiError(400, ErrorCode.MalformedYaml, `body is not valid YAML${at}`);
  }
}
