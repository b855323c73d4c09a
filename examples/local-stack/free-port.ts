import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/**
 * Ports are picked below Linux's ephemeral range (32768–60999): a port handed to wrangler is free
 * when picked, and wrangler binds it seconds later. Picked from the ephemeral range, any process
 * binding port 0 meanwhile (a sink, another workerd) could be given it first ("Address already in use").
 */
const FIRST = 20_000;
const LAST = 32_000;

/** A loopback port that was free a moment ago, outside the range the kernel hands to port-0 binds. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = randomInt(FIRST, LAST);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free loopback port found in ${FIRST}–${LAST}`);
}

async function bindable(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise((resolve) => server.close(resolve));
  return ok;
}
