/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { Env } from '../env.ts';
import { loadSite } from '../site-config/load-site-config.ts';
import { clearedCookie, consoleRole, isSameOrigin, presentedCredential, sessionCookie, type ConsoleRole } from './console-auth.ts';
import type { PageContext } from './console-page.ts';
import { Layout } from './layout.tsx';
import { LoginPage } from './login-page.tsx';
import { CONSOLE_PAGES } from './pages.ts';

type ConsoleEnv = { Bindings: Env; Variables: { role: ConsoleRole } };

const FLASH = /^[\w .,'()%:;!?/-]{1,200}$/;
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
};

async function siteIds(env: Env): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await env.CONFIG.list({ prefix: 'site:', ...(cursor ? { cursor } : {}) });
    ids.push(...page.keys.map((k) => k.name.slice('site:'.length)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && ids.length < 1000);
  return ids.sort();
}

const nav = CONSOLE_PAGES.map((p) => ({ slug: p.slug, title: p.title }));

function wantsHtml(c: Context): boolean {
  return !c.req.header('authorization') && (c.req.header('accept') ?? '').includes('text/html');
}

async function pageContext(c: Context<ConsoleEnv>): Promise<PageContext | Response> {
  const sites = await siteIds(c.env);
  const wanted = c.req.query('site') ?? sites[0];
  const site = wanted ? await loadSite(c.env.CONFIG, wanted) : null;
  if (!site) {
    return c.html(
      <Layout title="No site" nav={nav} role={c.get('role')} sites={sites}>
        <h1>No such site</h1>
        <p>{sites.length ? 'Pick a site above.' : 'No site is configured in CONFIG yet.'}</p>
      </Layout>,
      404,
    );
  }
  return { c: c as unknown as PageContext['c'], env: c.env, site, sites, role: c.get('role'), query: new URL(c.req.url).searchParams };
}

/**
 * `/console`: server-rendered pages behind the admin or the read-only token (Bearer, or a
 * sign-in form that sets an HttpOnly SameSite=Strict cookie). Changes (policy save, replay) need
 * the admin token and a same-origin form post.
 */
export const consoleRoute = new Hono<ConsoleEnv>()
  .use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  })
  .get('/login', (c) => c.html(<LoginPage next={c.req.query('next')} />))
  .post('/login', async (c) => {
    if (!isSameOrigin(c.req.raw)) return c.json({ error: { code: 'forbidden', message: 'cross-site sign-in refused' } }, 403);
    const form = await c.req.formData().catch(() => new FormData());
    const token = String(form.get('token') ?? '');
    const role = token ? await consoleRole(c.env, { bearer: token }) : null;
    if (!role) return c.html(<LoginPage error="That token is neither the admin nor the read-only token." />, 401);
    const next = String(form.get('next') ?? '/console');
    c.header('Set-Cookie', await sessionCookie(token, new URL(c.req.url).protocol === 'https:'));
    return c.redirect(next.startsWith('/console') && !next.startsWith('//') ? next : '/console', 303);
  })
  .post('/logout', (c) => {
    c.header('Set-Cookie', clearedCookie());
    return c.redirect('/console/login', 303);
  })
  .use('*', async (c, next) => {
    const role = await consoleRole(c.env, presentedCredential(c.req.raw));
    if (!role) {
      if (wantsHtml(c) && c.req.method === 'GET') return c.redirect(`/console/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
      return c.json({ error: { code: 'unauthorized', message: 'console token missing or wrong' } }, 401, { 'WWW-Authenticate': 'Bearer' });
    }
    c.set('role', role);
    await next();
  })
  .get('/', async (c) => {
    const ctx = await pageContext(c);
    if (ctx instanceof Response) return ctx;
    return c.html(
      <Layout title="Overview" nav={nav} role={ctx.role} site={ctx.site.id} sites={ctx.sites}>
        <h1>Sluice console</h1>
        <p>
          Site <strong>{ctx.site.id}</strong>, {Object.keys(ctx.site.destinations).length} destination(s). Signed in {ctx.role === 'admin' ? 'as admin' : 'read-only'}.
        </p>
        <ul class="cards">
          {CONSOLE_PAGES.map((p) => (
            <li>
              <a href={`/console/${p.slug}?site=${encodeURIComponent(ctx.site.id)}`}>{p.title}</a>
              <p>{p.summary}</p>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  })
  .get('/:slug', async (c) => {
    const page = CONSOLE_PAGES.find((p) => p.slug === c.req.param('slug'));
    if (!page) return c.json({ error: { code: 'not_found', message: 'no such console page' } }, 404);
    const ctx = await pageContext(c);
    if (ctx instanceof Response) return ctx;
    const flash = c.req.query('flash');
    return c.html(
      <Layout title={page.title} nav={nav} current={page.slug} role={ctx.role} site={ctx.site.id} sites={ctx.sites} flash={flash && FLASH.test(flash) ? flash : undefined}>
        {await page.render(ctx)}
      </Layout>,
    );
  })
  .post('/:slug/:action', async (c) => {
    const page = CONSOLE_PAGES.find((p) => p.slug === c.req.param('slug'));
    const action = page?.actions?.[c.req.param('action')];
    if (!page || !action) return c.json({ error: { code: 'not_found', message: 'no such console action' } }, 404);
    if (!isSameOrigin(c.req.raw)) return c.json({ error: { code: 'forbidden', message: 'cross-site form post refused' } }, 403);
    if (c.get('role') !== 'admin' && !page.safeActions?.includes(c.req.param('action'))) {
      return c.json({ error: { code: 'forbidden', message: 'the read-only token cannot change anything' } }, 403);
    }
    const ctx = await pageContext(c);
    if (ctx instanceof Response) return ctx;
    const form = await c.req.formData().catch(() => new FormData());
    const result = await action(ctx, form);
    if ('redirect' in result) {
      const url = new URL(result.redirect, c.req.url);
      if (result.flash) url.searchParams.set('flash', result.flash);
      return c.redirect(url.pathname + url.search, 303);
    }
    return c.html(
      <Layout title={page.title} nav={nav} current={page.slug} role={ctx.role} site={ctx.site.id} sites={ctx.sites}>
        {result.body}
      </Layout>,
      result.status ?? 200,
    );
  });
