import type { OnnxNode, Tensor } from './read-onnx.ts';

/** An operator: input tensors (absent optional inputs are `undefined`) and the node's attributes → outputs. */
type Op = (inputs: (Tensor | undefined)[], node: OnnxNode) => Tensor;

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

const elementwise = (f: (x: number, y: number) => number): Op => ([a, b]) => {
  const dims = broadcast(a!.dims, b!.dims);
  const data = new Float32Array(size(dims));
  if (size(a!.dims) === data.length && size(b!.dims) === data.length) for (let i = 0; i < data.length; i++) data[i] = f(a!.data[i]!, b!.data[i]!);
  else if (b!.data.length === 1) for (let i = 0, y = b!.data[0]!; i < data.length; i++) data[i] = f(a!.data[i]!, y);
  else {
    const ia = broadcastIndex(a!.dims, dims);
    const ib = broadcastIndex(b!.dims, dims);
    for (let i = 0; i < data.length; i++) data[i] = f(a!.data[ia[i]!]!, b!.data[ib[i]!]!);
  }
  return { data, dims };
};

const unary = (f: (x: number) => number): Op => ([a]) => ({ data: a!.data.map(f), dims: a!.dims });

/** 2-D `[m,k]·[k,n]`, each operand optionally transposed. */
function matmul(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  if (a.dims.length !== 2 || b.dims.length !== 2) throw new Error('only 2-D matrix products are supported');
  const [m, k] = transA ? [a.dims[1]!, a.dims[0]!] : [a.dims[0]!, a.dims[1]!];
  const [k2, n] = transB ? [b.dims[1]!, b.dims[0]!] : [b.dims[0]!, b.dims[1]!];
  if (k !== k2) throw new Error(`inner dimensions ${k} and ${k2} differ`);
  const data = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a.data[transA ? t * m + i : i * k + t]! * b.data[transB ? j * k + t : t * n + j]!;
    data[i * n + j] = s;
  }
  return { data, dims: [m, n] };
}

/**
 * The operators this runtime executes (float32, CPU), with ONNX opset-13 semantics.
 * Anything else makes session creation fail, so the caller can fall back to onnxruntime-web.
 */
export const OPERATORS: Readonly<Record<string, Op>> = {
  Add: elementwise((x, y) => x + y),
  Sub: elementwise((x, y) => x - y),
  Mul: elementwise((x, y) => x * y),
  Div: elementwise((x, y) => x / y),
  Relu: unary((x) => (x > 0 ? x : 0)),
  Sigmoid: unary((x) => 1 / (1 + Math.exp(-x))),
  Tanh: unary(Math.tanh),
  MatMul: ([a, b]) => matmul(a!, b!, false, false),
  Gemm: ([a, b, c], node) => {
    const { alpha = 1, beta = 1, transA = 0, transB = 0 } = node.attributes as Record<string, number>;
    const product = matmul(a!, b!, transA === 1, transB === 1);
    if (alpha !== 1) product.data.forEach((v, i) => (product.data[i] = alpha * v));
    if (!c) return product;
    return elementwise((x, y) => x + beta * y)([product, c], node);
  },
  ReduceSum: ([a, axesTensor], node) => {
    const rank = a!.dims.length;
    const attrAxes = node.attributes.axes as readonly number[] | undefined;
    const listed = axesTensor ? Array.from(axesTensor.data) : attrAxes ?? [];
    const axes = (listed.length ? listed : node.attributes.noop_with_empty_axes ? [] : a!.dims.map((_, i) => i)).map((x) => (x < 0 ? x + rank : x));
    const keep = (node.attributes.keepdims as number | undefined) ?? 1;
    const kept = a!.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    const data = new Float32Array(size(kept));
    const index = a!.data.length;
    for (let flat = 0; flat < index; flat++) {
      let rest = flat;
      let at = 0;
      let stride = 1;
      for (let i = rank - 1; i >= 0; i--) {
        const coord = rest % a!.dims[i]!;
        rest = (rest - coord) / a!.dims[i]!;
        if (!axes.includes(i)) at += coord * stride;
        stride *= kept[i]!;
      }
      data[at]! += a!.data[flat]!;
    }
    return { data, dims: keep ? kept : kept.filter((_, i) => !axes.includes(i)) };
  },
};
