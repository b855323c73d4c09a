import { Hono } from 'hono';
import type { Env } from '../env.ts';

/**
 * First-party static files (the SDK under /sdk.js and /sdk/<version>/, and the demo shop in
 * development) come from the Workers assets binding; anything else is a 404 from the app.
 */
export const assetsRoute = new Hono<{ Bindings: Env }>().get('*', async (c, next) => {
  const response = await c.env.ASSETS.fetch(c.req.raw);
  if (response.status === 404) return next();
  return response;
});
