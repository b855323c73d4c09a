#!/usr/bin/env node
// Drafts a tracking plan from the events a site has sent (names and observed types only) and prints it as YAML,
// for a person to review before `PUT /v1/admin/sites/:site/plan`.
// Usage: ADMIN_TOKEN=… [SLUICE_GATEWAY_URL=http://127.0.0.1:8787] npm run plan:draft -- --site demo [--json]
const args = process.argv.slice(2);
const site = args[args.indexOf('--site') + 1];
if (!args.includes('--site') || !site || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(site)) {
  console.error('usage: npm run plan:draft -- --site <site id> [--json]');
  process.exit(2);
}
const token = process.env.ADMIN_TOKEN ?? process.env.ADMIN_READONLY_TOKEN;
if (!token) {
  console.error('set ADMIN_TOKEN or ADMIN_READONLY_TOKEN (the draft is a read)');
  process.exit(2);
}
const base = process.env.SLUICE_GATEWAY_URL ?? 'http://127.0.0.1:8787';
const url = `${base}/v1/admin/sites/${site}/plan/draft${args.includes('--json') ? '' : '?format=yaml'}`;
const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
const text = await response.text();
if (!response.ok) {
  console.error(`${response.status}: ${text}`);
  process.exit(1);
}
process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
