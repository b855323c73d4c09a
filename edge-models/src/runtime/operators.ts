import type { OnnxNode, Tensor } from './read-onnx.ts';

/** A compiled node: its output tensor (a buffer allocated once) and the step that fills it from its inputs' buffers. */
export interface CompiledStep {
  readonly out: Tensor;
  readonly run: () => void;
}

/**
 * An operator's compiler: the input tensors (buffers fixed for the plan's lifetime; absent optional
 * inputs are `undefined`), the node, and which inputs are constants → the output and its step.
 * Shapes, broadcasting indices and attributes are resolved here, once; a step only loops.
 */
type Kernel = (inputs: (Tensor | undefined)[], node: OnnxNode, constant: (i: number) => boolean) => CompiledStep;

const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Numpy-style broadcasting of two shapes (ONNX multidirectional broadcasting). */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** For each output element, the flat index into a tensor of shape `dims` broadcast to `out`. */
function broadcastIndex(dims: readonly number[], out: readonly number[]): Uint32Array {
  const index = new Uint32Array(size(out));
  const offset = out.length - dims.length;
  const strides: number[] = [];
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) { strides[i] = dims[i] === 1 ? 0 : s; s *= dims[i]!; }
  for (let flat = 0; flat < index.length; flat++) {
    let rest = flat;
    let at = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      const coord = rest % out[i]!;
      rest = (rest - coord) / out[i]!;
      if (i >= offset) at += coord * strides[i - offset]!;
    }
    index[flat] = at;
  }
  return index;
}

// Op codes, so that one loop serves every elementwise operator with no call per element (a shared
// loop calling a different closure per operator goes megamorphic and stops being inlined).
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const apply = (op: number, x: number, y: number) => (op === ADD ? x + y : op === SUB ? x - y : op === MUL ? x * y : x / y);

const elementwise = (op: number): Kernel => ([a, b]) => {
  const dims = broadcast(a!.dims, b!.dims);
  const out = new Float32Array(size(dims));
  const A = a!.data;
  const B = b!.data;
  const n = out.length;
  // Index maps only when a side is really broadcast (identity otherwise: one loop shape for all).
  const ia = A.length === n ? null : broadcastIndex(a!.dims, dims);
  const ib = B.length === n ? null : broadcastIndex(b!.dims, dims);
  if (!ia && !ib) return { out: { data: out, dims }, run: () => { for (let i = 0; i < n; i++) out[i] = apply(op, A[i]!, B[i]!); } };
  const ja = ia ?? Uint32Array.from({ length: n }, (_, i) => i);
  const jb = ib ?? Uint32Array.from({ length: n }, (_, i) => i);
  return { out: { data: out, dims }, run: () => { for (let i = 0; i < n; i++) out[i] = apply(op, A[ja[i]!]!, B[jb[i]!]!); } };
};

const RELU = 0;
const SIGMOID = 1;
const TANH = 2;
const unary = (op: number): Kernel => ([a]) => {
  const A = a!.data;
  const out = new Float32Array(A.length);
  return {
    out: { data: out, dims: a!.dims },
    run: () => {
      for (let i = 0; i < A.length; i++) {
        const x = A[i]!;
        out[i] = op === RELU ? (x > 0 ? x : 0) : op === SIGMOID ? 1 / (1 + Math.exp(-x)) : Math.tanh(x);
      }
    },
  };
};

/**
 * 2-D `alpha·op(A)·op(B) + beta·C` (each operand optionally transposed, C broadcast), with the
 * strides of the transposes and C's broadcast index resolved at compile time. Every Gemm and MatMul
 * runs the same loop on the same types (no C: a zero and beta 0), so it stays monomorphic.
 */
function gemm(a: Tensor, b: Tensor, c: Tensor | undefined, transA: boolean, transB: boolean, alpha: number, beta: number): CompiledStep {
  if (a.dims.length !== 2 || b.dims.length !== 2) throw new Error('only 2-D matrix products are supported');
  const [m, k] = transA ? [a.dims[1]!, a.dims[0]!] : [a.dims[0]!, a.dims[1]!];
  const [k2, n] = transB ? [b.dims[1]!, b.dims[0]!] : [b.dims[0]!, b.dims[1]!];
  if (k !== k2) throw new Error(`inner dimensions ${k} and ${k2} differ`);
  const out = new Float32Array(m * n);
  const dims = [m, n];
  const A = a.data;
  const B = b.data;
  // element (i, t) of op(A) is A[i·ai + t·at]; (t, j) of op(B) is B[t·bt + j·bj]
  const [ai, at] = transA ? [1, m] : [k, 1];
  const [bt, bj] = transB ? [1, k] : [n, 1];
  const C = c ? c.data : new Float32Array(1);
  const ic = c ? (broadcast(c.dims, dims), broadcastIndex(c.dims, dims)) : new Uint32Array(m * n);
  const cb = c ? beta : 0;
  return {
    out: { data: out, dims },
    run: () => {
      for (let i = 0; i < m; i++) {
        const ra = i * ai;
        for (let j = 0; j < n; j++) {
          let s = 0;
          let x = ra;
          let y = j * bj;
          for (let t = 0; t < k; t++) {
            s += A[x]! * B[y]!;
            x += at;
            y += bt;
          }
          const o = i * n + j;
          out[o] = alpha * s + cb * C[ic[o]!]!;
        }
      }
    },
  };
}

/** A number attribute, or its default. */
const attr = (node: OnnxNode, name: string, fallback: number) => (node.attributes[name] as number | undefined) ?? fallback;

/**
 * The operators this runtime executes (float32, CPU), with ONNX opset-13 semantics, each compiled
 * once per input shape. Anything else makes session creation fail, so the caller can fall back to onnxruntime-web.
 */
export const OPERATORS: Readonly<Record<string, Kernel>> = {
  Add: elementwise(ADD),
  Sub: elementwise(SUB),
  Mul: elementwise(MUL),
  Div: elementwise(DIV),
  Relu: unary(RELU),
  Sigmoid: unary(SIGMOID),
  Tanh: unary(TANH),
  MatMul: ([a, b]) => gemm(a!, b!, undefined, false, false, 1, 1),
  Gemm: ([a, b, c], node) => gemm(a!, b!, c, attr(node, 'transA', 0) === 1, attr(node, 'transB', 0) === 1, attr(node, 'alpha', 1), attr(node, 'beta', 1)),
  ReduceSum: ([a, axesTensor], node, constant) => {
    if (axesTensor && !constant(1)) throw new Error('ReduceSum with computed axes is not supported');
    const rank = a!.dims.length;
    const attrAxes = node.attributes.axes as readonly number[] | undefined;
    const listed = axesTensor ? Array.from(axesTensor.data) : attrAxes ?? [];
    const axes = (listed.length ? listed : node.attributes.noop_with_empty_axes ? [] : a!.dims.map((_, i) => i)).map((x) => (x < 0 ? x + rank : x));
    const kept = a!.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    // where each input element lands in the output, resolved once
    const into = new Uint32Array(a!.data.length);
    for (let flat = 0; flat < into.length; flat++) {
      let rest = flat;
      let at = 0;
      let stride = 1;
      for (let i = rank - 1; i >= 0; i--) {
        const coord = rest % a!.dims[i]!;
        rest = (rest - coord) / a!.dims[i]!;
        if (!axes.includes(i)) at += coord * stride;
        stride *= kept[i]!;
      }
      into[flat] = at;
    }
    const out = new Float32Array(size(kept));
    const A = a!.data;
    return {
      out: { data: out, dims: attr(node, 'keepdims', 1) ? kept : kept.filter((_, i) => !axes.includes(i)) },
      run: () => {
        out.fill(0);
        for (let i = 0; i < A.length; i++) out[into[i]!]! += A[i]!;
      },
    };
  },
};
