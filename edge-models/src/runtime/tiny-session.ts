import { OPERATORS } from './operators.ts';
import { readOnnx, type OnnxGraph, type Tensor } from './read-onnx.ts';

/** Why a file cannot run here: the caller falls back to onnxruntime-web (unsupported) or rejects it (malformed). */
export interface TinySessionError {
  readonly error: 'unsupported' | 'malformed';
  readonly message: string;
}

/** A loaded model: `run` maps one input tensor to the graph's first output. */
export interface TinySession {
  readonly inputName: string;
  readonly outputName: string;
  run(input: Tensor): Tensor;
}

/**
 * Load an ONNX file into the tiny runtime, or say why it cannot: a model using an operator outside
 * {@link OPERATORS}, a custom domain or more than one graph input is `unsupported`.
 *
 * @example
 * const s = createTinySession(bytes);
 * if ('error' in s) return fallback();
 * const scores = s.run({ data: features, dims: [20, 6] }).data;
 */
export function createTinySession(file: Uint8Array): TinySession | TinySessionError {
  let graph: OnnxGraph;
  try {
    graph = readOnnx(file);
  } catch (error) {
    return { error: 'malformed', message: (error as Error).message };
  }
  const unknown = graph.nodes.find((n) => n.domain !== '' || !OPERATORS[n.op]);
  if (unknown) return { error: 'unsupported', message: `operator ${unknown.domain ? `${unknown.domain}.` : ''}${unknown.op} is not in the tiny runtime` };
  if (graph.inputs.length !== 1 || graph.outputs.length < 1) return { error: 'unsupported', message: 'the tiny runtime runs single-input graphs only' };
  const [inputName] = graph.inputs as [string];
  const [outputName] = graph.outputs as [string];
  return {
    inputName, outputName,
    run(input) {
      const values = new Map<string, Tensor>(graph.initializers);
      values.set(inputName, input);
      for (const node of graph.nodes) {
        const result = OPERATORS[node.op]!(node.inputs.map((name) => (name ? values.get(name) : undefined)), node);
        values.set(node.outputs[0]!, result);
      }
      const out = values.get(outputName);
      if (!out) throw new Error(`graph never computes ${outputName}`);
      return out;
    },
  };
}
