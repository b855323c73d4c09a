import { createServer, request as httpRequest, type Server } from 'node:http';

/**
 * A loopback proxy to the gateway that loses one response per client (by User-Agent): the first
 * request the gateway answers 200 reaches the gateway, but the client gets a 503 (with the
 * gateway's CORS headers, so a browser sees the status) and must retry. `lost` records the clients.
 */
export function lossyProxy(target: string, lost: Set<string>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          const client = String(req.headers['user-agent']);
          if (answer.statusCode === 200 && req.method === 'POST' && !lost.has(client)) {
            lost.add(client);
            const cors = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.startsWith('access-control-')));
            res.writeHead(503, { 'content-type': 'application/json', ...cors }).end('{"error":{"code":"lost","message":"response lost on the way"}}');
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
        });
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
