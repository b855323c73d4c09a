/** Small dense linear algebra for the linear bandits (d is the declared context dimension, tens at most). Matrices are row-major flat arrays. */

/** d×d identity scaled by `scale`. */
export function scaledIdentity(d: number, scale: number): number[] {
  const m = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) m[i * d + i] = scale;
  return m;
}

/** y = M x. */
export function matVec(m: readonly number[], x: readonly number[]): number[] {
  const d = x.length;
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += m[i * d + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** x · y. */
export function dot(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/**
 * Sherman–Morrison: (A + x xᵀ)⁻¹ from A⁻¹ in O(d²), so no matrix is ever inverted.
 */
export function shermanMorrison(inverse: readonly number[], x: readonly number[]): number[] {
  const d = x.length;
  const ax = matVec(inverse, x);
  const denominator = 1 + dot(x, ax);
  const out = inverse.slice();
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j]! -= (ax[i]! * ax[j]!) / denominator;
  return out;
}

/**
 * Lower Cholesky factor L of a symmetric positive-definite M (M = L Lᵀ); a tiny jitter keeps
 * round-off from making a pivot negative.
 */
export function cholesky(m: readonly number[], d: number): number[] {
  const l = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]!;
    }
  }
  return l;
}
