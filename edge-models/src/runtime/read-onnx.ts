import { readFields, text, varints, type Field } from './protobuf-reader.ts';

/** A dense tensor: row-major values and dimensions. */
export interface Tensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** One graph node with the attributes this runtime understands. */
export interface OnnxNode {
  readonly op: string;
  /** `''` for the default ONNX domain; anything else is a custom operator set. */
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, number | readonly number[]>>;
}

/** The parts of an ONNX model a small CPU runtime needs. */
export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, Tensor>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

// Field numbers from upstream onnx.proto.
const FLOAT = 1;
const INT64 = 7;

function tensor(fields: readonly Field[]): [string, Tensor] {
  const dims = varints(fields, 1);
  const type = fields.find((f) => f.n === 2)?.varint;
  const raw = fields.find((f) => f.n === 9)?.bytes;
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) data[i] = type === FLOAT ? view.getFloat32(i * 4, true) : type === INT64 ? Number(view.getBigInt64(i * 8, true)) : Number.NaN;
  } else if (type === FLOAT) {
    const packed = fields.find((f) => f.n === 4)?.bytes;
    if (packed) { const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength); for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true); }
  } else if (type === INT64) varints(fields, 7).forEach((v, i) => (data[i] = v));
  if (type !== FLOAT && type !== INT64) throw new Error(`unsupported tensor type ${type}`);
  return [text(fields, 8), { data, dims }];
}

function attribute(fields: readonly Field[]): [string, number | number[]] {
  const type = fields.find((f) => f.n === 20)?.varint;
  const name = text(fields, 1);
  if (type === 1) {
    const b = fields.find((f) => f.n === 2)?.bytes;
    return [name, b ? new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true) : 0];
  }
  if (type === 2) {
    const v = fields.find((f) => f.n === 3)?.varint ?? 0;
    return [name, v > 2 ** 62 ? v - 2 ** 64 : v]; // negative int64 (e.g. axis -1) arrives two's-complement
  }
  if (type === 7) return [name, varints(fields, 8).map((v) => (v > 2 ** 62 ? v - 2 ** 64 : v))];
  return [name, Number.NaN];
}

/**
 * Parse an ONNX ModelProto's graph (nodes, initializers, input and output names).
 *
 * @example
 * const graph = readOnnx(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 */
export function readOnnx(file: Uint8Array): OnnxGraph {
  const graphBytes = readFields(file).find((f) => f.n === 7)?.bytes;
  if (!graphBytes) throw new Error('ONNX file without a graph');
  const g = readFields(graphBytes);
  const initializers = new Map(g.filter((f) => f.n === 5).map((f) => tensor(readFields(f.bytes!))));
  const nodes = g.filter((f) => f.n === 1).map((f): OnnxNode => {
    const n = readFields(f.bytes!);
    return {
      op: text(n, 4),
      domain: text(n, 7),
      inputs: n.filter((x) => x.n === 1).map((x) => text([x], 1)),
      outputs: n.filter((x) => x.n === 2).map((x) => text([{ n: 2, bytes: x.bytes }], 2)),
      attributes: Object.fromEntries(n.filter((x) => x.n === 5).map((x) => attribute(readFields(x.bytes!)))),
    };
  });
  const names = (n: number) => g.filter((f) => f.n === n).map((f) => text(readFields(f.bytes!), 1)).filter((name) => !initializers.has(name));
  return { nodes, initializers, inputs: names(11), outputs: names(12) };
}
