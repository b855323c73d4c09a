import { createServer } from 'node:net';

/**
 * Exits with a one-line explanation when `port` is taken on loopback (another `npm start`, or any
 * other server), instead of wrangler's stack trace. `setting` names the variable that moves it.
 */
export async function assertPortFree(port: number, setting: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  if (free) return;
  console.error(`Port ${port} is already in use (another \`npm start\`?). Stop that process, or choose another port: ${setting}=${port + 1} npm start`);
  process.exit(1);
}
