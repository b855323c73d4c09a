import { DEFAULT_URL_RULES, type UrlRules } from './url-rules.ts';

/**
 * The URL without personal data: credentials removed, personal query parameters dropped (by name
 * or by value), personal path segments and fragments replaced. An unparsable URL is dropped
 * (`undefined`) rather than forwarded.
 * @example scrubUrl('https://shop.example/a?email=j%40x.io&gclid=G1') // 'https://shop.example/a?gclid=G1'
 */
export function scrubUrl(url: string, rules: UrlRules = DEFAULT_URL_RULES): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    const kept = new URLSearchParams();
    for (const [name, value] of parsed.searchParams) if (keepParam(name, value, rules)) kept.append(name, value);
    parsed.search = kept.toString();
  }
  if (parsed.pathname.length > 1) {
    parsed.pathname = parsed.pathname
      .split('/')
      .map((segment) => (isPersonal(safeDecode(segment), rules) ? rules.placeholder : segment))
      .join('/');
  }
  if (parsed.hash) {
    const fragment = safeDecode(parsed.hash.slice(1));
    // Fragments carry tokens (OAuth implicit flow, magic links): keep plain anchors only.
    if (fragment.includes('=') || isPersonal(fragment, rules)) parsed.hash = '';
  }
  return parsed.toString();
}

function keepParam(name: string, value: string, rules: UrlRules): boolean {
  const key = name.toLowerCase().replaceAll('-', '_');
  if (rules.keepParams.includes(key)) return true;
  if (rules.dropParams.includes(key)) return false;
  if (rules.dropParamsContaining.some((part) => key.includes(part))) return false;
  return !isPersonal(value, rules);
}

function isPersonal(text: string, rules: UrlRules): boolean {
  return text.length > 0 && rules.personalValues.some(({ pattern }) => pattern.test(text));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
