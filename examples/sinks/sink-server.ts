import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a sink received, exactly as it arrived (for assertions on what left the gateway). */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** Set when the sink found the request invalid against the vendor's documented shape. */
  rejectedFor?: string[];
}

/** A canned failure to inject: the next `count` requests get this answer. */
export interface InjectedFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  count: number;
  /** Hang instead of answering, to exercise client timeouts. */
  hang?: boolean;
}

/** Validates a request; returns the problems found (empty when valid). */
export type RequestValidator = (request: ReceivedRequest, json: unknown) => string[];

export interface SinkOptions {
  name: string;
  validate: RequestValidator;
  /** Body of a valid answer. */
  ok: (json: unknown) => unknown;
  /** Body of a rejected answer. */
  invalid: (problems: string[]) => { status: number; body: unknown };
  port?: number;
}

export interface RunningSink {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A local stand-in for a conversion API. Control routes under `/_sink/`:
 * `GET received`, `POST reset`, `POST fail` (body: InjectedFailure).
 */
export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const received: ReceivedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const body = await readAll(req);
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (url.pathname === '/_sink/received') return reply(200, received);
    if (url.pathname === '/_sink/reset') {
      received.length = 0;
      failures.length = 0;
      return reply(200, { ok: true });
    }
    if (url.pathname === '/_sink/fail') {
      failures.push(JSON.parse(body) as InjectedFailure);
      return reply(200, { ok: true });
    }
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body,
    };
    const failure = failures[0];
    if (failure) {
      if (--failure.count <= 0) failures.shift();
      received.push({ ...request, rejectedFor: [`injected ${failure.status}`] });
      if (failure.hang) return; // the client's timeout must fire
      return reply(failure.status, failure.body ?? {}, failure.headers);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const problems = options.validate(request, json);
    received.push(problems.length ? { ...request, rejectedFor: problems } : request);
    if (problems.length) {
      const answer = options.invalid(problems);
      return reply(answer.status, answer.body);
    }
    return reply(200, options.ok(json));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
