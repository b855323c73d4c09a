import { committedModels } from '../../edge-models/src/models/committed-models.ts';
import { repoRoot } from './repo-root.ts';
import { DEMO_SITE_ID } from './demo-site.ts';

/**
 * Publishes every committed model version (edge-models/models) to a local gateway through the
 * admin API and makes each one live: what `npm start` and the e2e tests give the demo shop.
 */
export async function publishModels(gatewayUrl: string, adminToken: string, live = true): Promise<void> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const admin = `${gatewayUrl}/v1/admin/sites/${DEMO_SITE_ID}/models`;
  for (const { manifest, file } of committedModels(`${repoRoot()}/edge-models/models`)) {
    const put = await fetch(`${admin}/${manifest.name}/versions/${manifest.version}`, {
      method: 'PUT', headers, body: JSON.stringify({ manifest, file: Buffer.from(file).toString('base64') }),
    });
    if (!put.ok) throw new Error(`publishing ${manifest.name} ${manifest.version}: HTTP ${put.status} ${await put.text()}`);
    if (!live) continue;
    const set = await fetch(`${admin}/${manifest.name}/rollout`, { method: 'POST', headers, body: JSON.stringify({ action: 'set-live', version: manifest.version }) });
    if (!set.ok) throw new Error(`setting ${manifest.name} ${manifest.version} live: HTTP ${set.status}`);
  }
}
