// Privacy samplers (privacy/src): exact samples per second of each CKS20 sampler over
// crypto.getRandomValues, next to two baselines measured in the same run: drawing one uniform
// 32-bit integer from the same buffered CSPRNG source, and the textbook float Laplace
// `b * sign(u) * ln(1 - 2|u|)` over Math.random (insecure: predictable PRNG and Mironov's
// floating-point attack; here only as the speed floor that exactness is paid against).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Each figure is the best of this many timed rounds of at least MIN_MS. */
const ROUNDS = 3;
const MIN_MS = 300;

const bundle = await build({
  entryPoints: [`${root}privacy/src/index.ts`], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'error',
});
const p = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);
const rng = p.cryptoSource();

function rate(fn) {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < MIN_MS) {
      for (let i = 0; i < 1000; i++) fn();
      n += 1000;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (n / elapsed) * 1000);
  }
  return best;
}

let sink = 0;
const floatLaplace = (b) => {
  const u = Math.random() - 0.5;
  return b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
};
const cases = [
  ['baseline: uniform 32-bit from the CSPRNG source', () => rng.below(4294967296n)],
  ['baseline: float Laplace over Math.random (insecure)', () => (sink += floatLaplace(10))],
  ['bernoulliExp(γ = 1/2)', () => p.bernoulliExp(1n, 2n, rng)],
  ['discreteLaplace(scale 1)', () => p.discreteLaplace(p.rational(1n), rng)],
  ['discreteLaplace(scale 10)', () => p.discreteLaplace(p.rational(10n), rng)],
  ['discreteLaplace(scale 40000)', () => p.discreteLaplace(p.rational(40000n), rng)],
  ['discreteGaussian(σ² = 1)', () => p.discreteGaussian(p.rational(1n), rng)],
  ['discreteGaussian(σ² = 100)', () => p.discreteGaussian(p.rational(100n), rng)],
  ['laplaceMechanism(count, Δ=4, ε=1/2)', () => p.laplaceMechanism(120n, 4n, p.rational(1n, 2n), rng)],
];
const results = cases.map(([name, fn]) => [name, rate(fn)]);
const base = results[0][1];
const floatBase = results[1][1];
console.log('sampler'.padEnd(52), 'samples/s'.padStart(12), 'vs uniform'.padStart(11), 'vs float'.padStart(9));
for (const [name, r] of results) {
  console.log(name.padEnd(52), Math.round(r).toLocaleString('en').padStart(12), `${(r / base).toFixed(2)}×`.padStart(11), `${(r / floatBase).toFixed(3)}×`.padStart(9));
}
if (sink === 0.5) console.log(''); // keep the float baseline from being optimized away
