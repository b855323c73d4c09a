import type { Env } from '../env.ts';
import type { BanditSnapshot } from './experiment-bandit.ts';

/** The Durable Object of one experiment of one site. */
export function banditStub(env: Env, siteId: string, experimentId: string) {
  return env.DECIDE.get(env.DECIDE.idFromName(`${siteId}/${experimentId}`));
}

/** The object's snapshot (RPC types cannot express arm payloads of type `unknown`, hence the cast). */
export async function banditSnapshot(env: Env, siteId: string, experimentId: string): Promise<BanditSnapshot | null> {
  return (await banditStub(env, siteId, experimentId).snapshot()) as unknown as BanditSnapshot | null;
}
