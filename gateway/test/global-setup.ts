import type { TestProject } from 'vitest/node';
import { startMemoryProbe } from './process-memory.ts';
import { startGa4Sink, startGoogleAdsSink, startMetaSink, startTikTokSink } from '../../examples/sinks/index.ts';

/** Runs in Node: real local conversion-API sinks that the worker (in workerd) posts to over loopback. */
export default async function setup(project: TestProject) {
  const port = (name: string) => Number(process.env[`SLUICE_TEST_${name}_SINK_PORT`]);
  const sinks = {
    meta: await startMetaSink(port('META')),
    ga4: await startGa4Sink(port('GA4')),
    googleAds: await startGoogleAdsSink(port('GOOGLE_ADS')),
    tiktok: await startTikTokSink(port('TIKTOK')),
  };
  const memory = await startMemoryProbe();
  project.provide('memoryProbeUrl', memory.url);
  project.provide('metaSinkUrl', sinks.meta.url);
  project.provide('ga4SinkUrl', sinks.ga4.url);
  project.provide('googleAdsSinkUrl', sinks.googleAds.url);
  project.provide('tiktokSinkUrl', sinks.tiktok.url);
  return () => Promise.all([...Object.values(sinks).map((s) => s.close()), memory.close()]);
}
