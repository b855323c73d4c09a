import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { Env } from '../env.ts';
import type { SiteConfig } from '../site-config/site-config.ts';
import type { ConsoleRole } from './console-auth.ts';

/** What every page gets: the request, the site being looked at, who is looking. */
export interface PageContext {
  c: Context<{ Bindings: Env }>;
  env: Env;
  site: SiteConfig;
  /** Every site id in CONFIG, for the site picker. */
  sites: string[];
  role: ConsoleRole;
  query: URLSearchParams;
}

/** What a POST action answers: go somewhere (303, with a flash message), or show the page again with this body. */
export type ActionResult = { redirect: string; flash?: string } | { body: JSX.Element; status?: 200 | 400 | 422 };

/**
 * One console page: `/console/<slug>` renders `render`, `POST /console/<slug>/<action>` runs an
 * action (admin token only; the read-only token gets 403). Add a page = one file exporting this,
 * plus one line in `pages.ts`.
 */
export interface ConsolePage {
  slug: string;
  title: string;
  /** One line under the title in the navigation (what the page answers). */
  summary: string;
  render(ctx: PageContext): Promise<JSX.Element>;
  actions?: Record<string, (ctx: PageContext, form: FormData) => Promise<ActionResult>>;
  /** Actions that change nothing (a dry run): the read-only token may run these too. */
  safeActions?: string[];
}
