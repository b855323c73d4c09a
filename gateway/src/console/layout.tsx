/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { ConsoleRole } from './console-auth.ts';

export interface LayoutProps {
  title: string;
  nav: Array<{ slug: string; title: string }>;
  current?: string;
  role?: ConsoleRole;
  site?: string;
  sites?: string[];
  flash?: string;
  children?: Child;
}

/** Console page shell: skip link, navigation with the current page marked, site picker, sign-out. */
export function Layout(props: LayoutProps) {
  const siteQuery = props.site ? `?site=${encodeURIComponent(props.site)}` : '';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Sluice console`}</title>
        <link rel="stylesheet" href="/console-assets/uPlot.min.css" />
        <link rel="stylesheet" href="/console-assets/console.css" />
        <script src="/console-assets/uPlot.iife.min.js" defer></script>
        <script src="/console-assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href={`/console${siteQuery}`}>Sluice console</a>
          {props.nav.length > 0 && (
            <nav aria-label="Console pages">
              <ul>
                {props.nav.map((p) => (
                  <li>
                    <a href={`/console/${p.slug}${siteQuery}`} aria-current={p.slug === props.current ? 'page' : undefined}>
                      {p.title}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {props.sites && props.sites.length > 0 && (
            <form class="site-picker" method="get">
              <label>
                Site{' '}
                <select name="site" data-autosubmit="">
                  {props.sites.map((s) => (
                    <option value={s} selected={s === props.site}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
              <noscript>
                <button type="submit">Show</button>
              </noscript>
            </form>
          )}
          {props.role && (
            <form method="post" action="/console/logout" class="who">
              <span class="role" data-role={props.role}>
                {props.role === 'admin' ? 'admin' : 'read-only'}
              </span>
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.flash && (
            <p class="flash" role="status">
              {props.flash}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}
