import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import esbuild from 'rollup-plugin-esbuild';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const require = createRequire(import.meta.url);
/** onnxruntime-web fetches its wasm itself: emit it next to the `sluice-ort` chunk (see ort-chunk.ts). */
const copyOrtWasm = () => ({
  name: 'copy-ort-wasm',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'ort-wasm-simd-threaded.wasm', source: readFileSync(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')) });
  },
});
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const plugins = [
  resolve({ browser: true }),
  esbuild({ target: 'es2022', define: { __SLUICE_VERSION__: JSON.stringify(version) } }),
  terser({ ecma: 2020, compress: { passes: 3, unsafe_arrows: true, pure_getters: true, unsafe_methods: true }, format: { comments: false } }),
];

/**
 * - dist/sluice.esm.js: the core for bundlers and `<script type=module>`;
 * - dist/sluice.js: the core for a script tag (IIFE, global `sluice`, replays the snippet's queue);
 * - dist/chunks/: optional parts the core imports from the gateway only when used: the consent
 *   gate + CMP readers (sites with a policy) and the IndexedDB queue adapter (storage allowed).
 */
export default [
  { input: 'src/index.ts', output: { file: 'dist/sluice.esm.js', format: 'es', sourcemap: true }, plugins },
  { input: 'src/iife.ts', output: { file: 'dist/sluice.js', format: 'iife', name: 'sluice', exports: 'default', freeze: false, sourcemap: true }, plugins },
  {
    input: { 'sluice-consent': 'src/consent/consent-chunk.ts', 'sluice-idb': 'src/queue/idb-chunk.ts', 'sluice-decide': 'src/decide/decide-chunk.ts', 'sluice-rank': 'src/rank/rank-chunk.ts', 'sluice-ort': 'src/rank/ort-chunk.ts' },
    output: { dir: 'dist/chunks', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: true },
    plugins: [...plugins, copyOrtWasm()],
  },
];
