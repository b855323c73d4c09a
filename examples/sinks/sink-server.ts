import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a sink received, exactly as it arrived (for assertions on what left the gateway). */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** HTTP status the sink answered with (absent while hanging). */
  status?: number;
  /** Set when the sink refused the request: problems against the vendor's documented shape, or `injected …`. */
  rejectedFor?: string[];
}

/** A canned failure to inject: the next `count` requests (matching `match`, when given) get this answer. */
export interface InjectedFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  count: number;
  /** Hang instead of answering, to exercise client timeouts. */
  hang?: boolean;
  /** Only requests whose path, query or body contain this text (keeps parallel tests apart). */
  match?: string;
}

/** The failure kinds chaos mode draws from. */
export type ChaosMode = 'throttle' | 'server' | 'timeout' | 'permanent';

/** Random failures: each matching request fails with probability `rate`, kind drawn from `modes`. */
export interface ChaosSettings {
  rate: number;
  seed: number;
  match?: string;
  modes?: ChaosMode[];
}

/** A sink's answer to one request. */
export interface SinkAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Problems found; non-empty marks the request as rejected in `received`. */
  problems: string[];
}

/** Validates a request; returns the problems found (empty when valid). */
export type RequestValidator = (request: ReceivedRequest, json: unknown) => string[];

/** The vendor's own error answers, used for injected chaos. */
export interface VendorErrors {
  throttle(): Omit<SinkAnswer, 'problems'>;
  server(): Omit<SinkAnswer, 'problems'>;
  permanent(): Omit<SinkAnswer, 'problems'>;
}

export interface SinkOptions {
  name: string;
  port?: number;
  /** Full control over the answer (routes other than the main one, partial failures…). */
  answer?: (request: ReceivedRequest, json: unknown) => SinkAnswer;
  validate?: RequestValidator;
  /** Body of a valid answer. */
  ok?: (json: unknown) => unknown;
  /** Body of a rejected answer. */
  invalid?: (problems: string[]) => { status: number; body: unknown };
  errors?: VendorErrors;
}

export interface RunningSink {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

const DEFAULT_ERRORS: VendorErrors = {
  throttle: () => ({ status: 429, body: { error: 'rate limited' }, headers: { 'retry-after': '1' } }),
  server: () => ({ status: 500, body: { error: 'internal' } }),
  permanent: () => ({ status: 400, body: { error: 'bad request' } }),
};

/** Small seeded PRNG (mulberry32) so a chaos run can be repeated exactly. Test tooling, not product code. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(request: ReceivedRequest, match: string | undefined): boolean {
  if (!match) return true;
  return request.path.includes(match) || JSON.stringify(request.query).includes(match) || request.body.includes(match);
}

/**
 * A local stand-in for a conversion API. Control routes under `/_sink/`:
 * `GET received[?match=]`, `POST reset`, `POST fail` (InjectedFailure), `POST chaos` (ChaosSettings; rate 0 stops).
 */
export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const received: ReceivedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const errors = options.errors ?? DEFAULT_ERRORS;
  let chaos: (ChaosSettings & { random: () => number }) | undefined;
  const answer = options.answer ?? standardAnswer(options);
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const body = await readAll(req);
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      if (status === 204) {
        res.writeHead(204, headers);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json ?? {}));
    };
    if (url.pathname === '/_sink/received') {
      const match = url.searchParams.get('match') ?? undefined;
      return reply(200, received.filter((r) => matches(r, match)));
    }
    if (url.pathname === '/_sink/reset') {
      received.length = 0;
      failures.length = 0;
      chaos = undefined;
      return reply(200, { ok: true });
    }
    if (url.pathname === '/_sink/fail') {
      failures.push(JSON.parse(body) as InjectedFailure);
      return reply(200, { ok: true });
    }
    if (url.pathname === '/_sink/chaos') {
      const settings = JSON.parse(body) as ChaosSettings;
      chaos = settings.rate > 0 ? { ...settings, random: seeded(settings.seed) } : undefined;
      return reply(200, { ok: true });
    }
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body,
    };
    const index = failures.findIndex((f) => matches(request, f.match));
    const failure = failures[index];
    if (failure) {
      if (--failure.count <= 0) failures.splice(index, 1);
      received.push({ ...request, rejectedFor: [`injected ${failure.hang ? 'timeout' : failure.status}`] });
      if (failure.hang) return; // the client's timeout must fire
      received[received.length - 1]!.status = failure.status;
      return reply(failure.status, failure.body ?? {}, failure.headers);
    }
    if (chaos && matches(request, chaos.match) && chaos.random() < chaos.rate) {
      const modes = chaos.modes ?? ['throttle', 'server', 'timeout', 'permanent'];
      const mode = modes[Math.floor(chaos.random() * modes.length)]!;
      received.push({ ...request, rejectedFor: [`chaos ${mode}`] });
      if (mode === 'timeout') return;
      const canned = errors[mode]();
      received[received.length - 1]!.status = canned.status;
      return reply(canned.status, canned.body, canned.headers);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const result = answer(request, json);
    received.push({ ...request, status: result.status, ...(result.problems.length ? { rejectedFor: result.problems } : {}) });
    return reply(result.status, result.body, result.headers);
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

function standardAnswer(options: SinkOptions): (request: ReceivedRequest, json: unknown) => SinkAnswer {
  return (request, json) => {
    const problems = options.validate?.(request, json) ?? [];
    if (problems.length) {
      const rejected = options.invalid?.(problems) ?? { status: 400, body: { problems } };
      return { ...rejected, problems };
    }
    return { status: 200, body: options.ok?.(json) ?? {}, problems };
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
