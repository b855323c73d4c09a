import type { Event } from '@sluice/protocol';
import { DEFAULT_URL_RULES, type UrlRules } from './url-rules.ts';
import { scrubUrl } from './scrub-url.ts';

/**
 * Scrubs the page URL and referrer of a request's events. Events of one page share them, so each
 * distinct URL is scrubbed once per call; only the `context.page` objects that change are copied.
 * @example const clean = scrubEventUrls(events) // same length, same order
 */
export function scrubEventUrls(events: readonly Event[], rules: UrlRules = DEFAULT_URL_RULES): Event[] {
  const memo = new Map<string, string | undefined>();
  const scrub = (url: string) => {
    if (!memo.has(url)) memo.set(url, scrubUrl(url, rules));
    return memo.get(url);
  };
  return events.map((event) => {
    const page = event.context?.page;
    if (!page || (page.url === undefined && page.referrer === undefined)) return event;
    const url = page.url === undefined ? undefined : scrub(page.url);
    const referrer = page.referrer === undefined ? undefined : scrub(page.referrer);
    if (url === page.url && referrer === page.referrer) return event;
    const { url: _u, referrer: _r, ...rest } = page;
    const clean = { ...rest, ...(url !== undefined && { url }), ...(referrer !== undefined && { referrer }) };
    return { ...event, context: { ...event.context, page: clean } };
  });
}
