import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from './model-manifest.ts';

/** One committed model version: its manifest and its file's bytes. */
export interface CommittedModel {
  readonly manifest: ModelManifest;
  readonly file: Uint8Array;
}

/**
 * Every model version listed in `edge-models/models/index.json`, read from disk.
 *
 * @example
 * for (const { manifest, file } of committedModels('edge-models/models')) …
 */
export function committedModels(dir: string): CommittedModel[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { name: string; version: string }[];
  return index.map(({ name, version }) => {
    const manifest = JSON.parse(readFileSync(join(dir, name, version, 'manifest.json'), 'utf8')) as ModelManifest;
    return { manifest, file: new Uint8Array(readFileSync(join(dir, name, version, manifest.file))) };
  });
}
