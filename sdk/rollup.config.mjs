import esbuild from 'rollup-plugin-esbuild';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const plugins = [resolve({ browser: true }), esbuild({ target: 'es2020' }), terser({ compress: { passes: 2 } })];

/** ESM for bundlers and `<script type=module>`, IIFE (`window.sluice`) for the script tag. */
export default [
  { input: 'src/index.ts', output: { file: 'dist/sluice.esm.js', format: 'es', sourcemap: true }, plugins },
  { input: 'src/index.ts', output: { file: 'dist/sluice.js', format: 'iife', name: 'sluice', sourcemap: true }, plugins },
];
