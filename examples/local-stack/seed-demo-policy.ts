import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root.ts';
import { DEMO_SITE_ID } from './demo-site.ts';

/** The consent policy the demo site ships with. */
export const DEMO_POLICY_PATH = join(repoRoot(), 'consent/policies/example-global.json');

/**
 * Makes the example consent policy live for the demo site through the admin API (validated and
 * versioned like any other), unless the site already has one: an edited policy survives restarts.
 * Returns the live version.
 */
export async function seedDemoPolicy(gatewayUrl: string, adminToken: string): Promise<number> {
  const url = `${gatewayUrl}/v1/admin/sites/${DEMO_SITE_ID}/policy`;
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const live = await fetch(url, { headers });
  if (live.ok) return ((await live.json()) as { version: number }).version;
  const put = await fetch(url, { method: 'PUT', headers, body: readFileSync(DEMO_POLICY_PATH, 'utf8') });
  if (!put.ok) throw new Error(`seeding the demo policy failed: ${put.status} ${await put.text()}`);
  return ((await put.json()) as { version: number }).version;
}
