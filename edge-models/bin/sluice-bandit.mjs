#!/usr/bin/env node
// The `sluice-bandit` bin. The policy code is TypeScript (the same files the gateway bundles);
// Node 20 cannot run .ts, so esbuild (already a dev dependency of the repo) bundles the CLI in
// memory first (~50 ms), then it runs.
import { build } from 'esbuild';

const entry = new URL('../src/cli/main.ts', import.meta.url).pathname;
const result = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'error' });
const { main } = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
process.exitCode = await main(process.argv.slice(2));
