import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Node side (global setup): a loopback endpoint answering the resident memory (VmRSS) of the
 * process that called it — the workerd running the tests, found through the calling socket
 * (/proc/net/tcp → socket inode → the process holding it). Workers cannot read process memory
 * themselves; this lets the load test check memory stays bounded under load (issue 14).
 * Linux only: elsewhere it answers `{ rssMb: null }` and the check is skipped.
 */
export async function startMemoryProbe(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body: { pid: number | null; rssMb: number | null } = { pid: null, rssMb: null };
    try {
      const address = server.address();
      const pid = typeof address === 'object' && address ? peerPid(req.socket.remotePort!, address.port) : undefined;
      if (pid !== undefined) body = { pid, rssMb: rssMb(pid) };
    } catch {
      /* not Linux, or the process is gone: no figure */
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** The pid holding the client end of a loopback connection from `clientPort` to `serverPort`. */
function peerPid(clientPort: number, serverPort: number): number | undefined {
  let inode: string | undefined;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hexPort(clientPort)}`) && cols[2]?.endsWith(`:${hexPort(serverPort)}`)) inode = cols[9];
    }
  }
  if (!inode) return undefined;
  const target = `socket:[${inode}]`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === target) return Number(entry);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return undefined;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line!.split(/\s+/)[1]) / 1024;
}
