import type { Event } from '@sluice/protocol';
import { generalizeIp } from '@sluice/consent';
import type { MinimizationRules } from './minimization-rules.ts';
import { generalizeUserAgent } from './generalize-user-agent.ts';
import { scrubProperties } from './scrub-properties.ts';
import { scrubUrl } from './scrub-url.ts';

/**
 * A request's events minimized by the site's rules. Events of one page share their URL, referrer and
 * user agent: each distinct one is worked out once per call.
 * @example const clean = minimizeEvents(events, minimizationRules(plan.minimization))
 */
export function minimizeEvents(events: readonly Event[], rules: MinimizationRules): Event[] {
  const memo = new Map<string, string | undefined>();
  return events.map((event) => minimizeEvent(event, rules, memo));
}

/**
 * One event minimized by the site's rules: page URL and referrer scrubbed, properties scrubbed,
 * the user agent generalized or dropped. Copy-on-write: an event with nothing to change is returned as is.
 * @example minimizeEvent(event, minimizationRules({ userAgent: 'generalize' }))
 */
export function minimizeEvent(event: Event, rules: MinimizationRules, memo = new Map<string, string | undefined>()): Event {
  const url_ = (url: string) => {
    const key = `u\u0000${url}`;
    if (!memo.has(key)) memo.set(key, scrubUrl(url, rules.url));
    return memo.get(key);
  };
  let out = event;
  const properties = event.properties && scrubProperties(event.properties, rules);
  if (properties !== event.properties) out = { ...out, properties };
  const context = event.context;
  if (context) {
    let next = context;
    const page = context.page;
    if (page && (page.url !== undefined || page.referrer !== undefined)) {
      const url = page.url === undefined ? undefined : url_(page.url);
      const referrer = page.referrer === undefined ? undefined : url_(page.referrer);
      if (url !== page.url || referrer !== page.referrer) {
        const { url: _u, referrer: _r, ...rest } = page;
        next = { ...next, page: { ...rest, ...(url !== undefined && { url }), ...(referrer !== undefined && { referrer }) } };
      }
    }
    if (context.userAgent !== undefined && rules.userAgent !== 'keep') {
      const { userAgent, ...rest } = next;
      const key = `a\u0000${userAgent!}`;
      if (!memo.has(key)) memo.set(key, generalizeUserAgent(userAgent!));
      next = rules.userAgent === 'drop' ? rest : { ...rest, userAgent: memo.get(key)! };
    }
    if (next !== context) out = { ...out, context: next };
  }
  return out;
}

/**
 * The request IP under the rules: as is, truncated (/24, /48 by default), or none. Unparsable → none.
 * @example minimizeIp('203.0.113.7', minimizationRules({ ip: 'truncate' })) // '203.0.113.0'
 */
export function minimizeIp(ip: string | undefined, rules: MinimizationRules): string | undefined {
  if (ip === undefined || rules.ip === 'keep') return ip;
  if (rules.ip === 'drop') return undefined;
  return generalizeIp(ip, rules.ipv4Prefix, rules.ipv6Prefix);
}

/**
 * The request facts (IP, user agent) under the rules, before any destination sees them.
 * @example minimizeFacts({ ip: '203.0.113.7', userAgent: ua, receivedAt }, minimizationRules({ ip: 'drop' })).ip // undefined
 */
export function minimizeFacts<F extends { ip: string | undefined; userAgent: string | undefined }>(facts: F, rules: MinimizationRules): F {
  if (rules.ip === 'keep' && rules.userAgent === 'keep') return facts;
  const userAgent = facts.userAgent === undefined || rules.userAgent === 'keep' ? facts.userAgent : rules.userAgent === 'drop' ? undefined : generalizeUserAgent(facts.userAgent);
  return { ...facts, ip: minimizeIp(facts.ip, rules), userAgent };
}
