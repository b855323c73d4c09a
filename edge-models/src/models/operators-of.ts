import { ModelProto } from './onnx-schema.ts';

/**
 * The distinct operator types of an ONNX file's graph, sorted.
 *
 * @example
 * operatorsOf(bytes); // ['Gemm', 'Sigmoid']
 */
export function operatorsOf(file: Uint8Array): string[] {
  const model = ModelProto.toObject(ModelProto.decode(file)) as { graph: { node: { op_type: string }[] } };
  return [...new Set(model.graph.node.map((n) => n.op_type))].sort();
}
