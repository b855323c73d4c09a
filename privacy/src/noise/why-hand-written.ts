/**
 * Why these samplers are hand-written (privacy.md §7): npm has no trustworthy DP library.
 * `differential-privacy@1.1.2` calibrates noise to the sensitivity measured on the actual data
 * (local sensitivity, which leaks) and returns floats; `@stdlib/random-base-laplace` is the
 * textbook `mu - b*sign(u)*ln(1-2|u|)` over a Mersenne Twister, i.e. a predictable PRNG plus
 * Mironov's floating-point attack (CCS 2012); code-search finds `Math.random` inverse CDFs.
 * OpenDP, the reference, has no JavaScript/wasm build. So we port the Canonne–Kamath–Steinke
 * samplers ("The Discrete Gaussian for Differential Privacy", NeurIPS 2020, arXiv 2004.00010,
 * Algorithms 1–3) to BigInt: every decision is an exact Bernoulli with a rational parameter
 * drawn by rejection from a CSPRNG, so outputs lie exactly on the integer lattice with exactly
 * the intended pmf, and there is no floating point for an attacker to exploit.
 */
export const SAMPLERS_REFERENCE = 'Canonne, Kamath, Steinke 2020, arXiv:2004.00010, Algorithms 1-3';
