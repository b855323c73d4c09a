import type { TestProject } from 'vitest/node';
import { startMetaSink } from '../../examples/sinks/index.ts';

/** Runs in Node: a real local Meta sink that the worker (in workerd) posts to over loopback. */
export default async function setup(project: TestProject) {
  const sink = await startMetaSink(Number(process.env.SLUICE_TEST_META_SINK_PORT));
  project.provide('metaSinkUrl', sink.url);
  return () => sink.close();
}
