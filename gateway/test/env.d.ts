import type { Env as WorkerEnv } from '../src/env.ts';
import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      META_TOKEN_TEST: string;
      ADMIN_TOKEN: string;
      ADMIN_READONLY_TOKEN: string;
    }
  }
}

declare module 'vitest' {
  interface ProvidedContext {
    metaSinkUrl: string;
    /** Node-side loopback endpoint: VmRSS of the calling workerd (process-memory.ts). */
    memoryProbeUrl: string;
    ga4SinkUrl: string;
    googleAdsSinkUrl: string;
    tiktokSinkUrl: string;
  }
}
export {};
