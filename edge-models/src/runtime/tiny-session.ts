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
  /**
   * Score a batch. The returned tensor is the plan's own output buffer: read (or copy) it before the
   * next `run` with the same input shape, which overwrites it. No allocation once a shape is compiled.
   */
  run(input: Tensor): Tensor;
}

/** A graph compiled for one input shape: every buffer allocated, every shape and index resolved. */
interface Plan {
  readonly input: Float32Array;
  readonly steps: readonly (() => void)[];
  readonly output: Tensor;
}

/** Input shapes kept compiled per session (a ranker uses one or two: its slot size, and explain's). */
const MAX_PLANS = 8;

function compile(graph: OnnxGraph, inputName: string, outputName: string, dims: readonly number[]): Plan {
  const input = new Float32Array(dims.reduce((a, b) => a * b, 1));
  const values = new Map<string, Tensor>(graph.initializers);
  values.set(inputName, { data: input, dims });
  const steps: (() => void)[] = [];
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((name) => {
      if (!name) return undefined;
      const value = values.get(name);
      if (!value) throw new Error(`${node.op} reads ${name} before it is computed`);
      return value;
    });
    const step = OPERATORS[node.op]!(inputs, node, (i) => graph.initializers.has(node.inputs[i] ?? ''));
    values.set(node.outputs[0]!, step.out);
    steps.push(step.run);
  }
  const output = values.get(outputName);
  if (!output) throw new Error(`graph never computes ${outputName}`);
  return { input, steps, output };
}

/**
 * Load an ONNX file into the tiny runtime, or say why it cannot: a model using an operator outside
 * {@link OPERATORS}, a custom domain or more than one graph input is `unsupported`. The graph is
 * compiled once per input shape into a plan of preallocated typed arrays; a run copies the input in
 * and executes the plan's steps (one batched call scores every candidate).
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
  const plans = new Map<string, Plan>();
  return {
    inputName, outputName,
    run(input) {
      const key = input.dims.join();
      let plan = plans.get(key);
      if (!plan) {
        plan = compile(graph, inputName, outputName, input.dims);
        if (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value!);
        plans.set(key, plan);
      }
      if (input.data.length !== plan.input.length) throw new Error(`input has ${input.data.length} values, its shape [${input.dims}] ${plan.input.length}`);
      plan.input.set(input.data);
      for (const step of plan.steps) step();
      return plan.output;
    },
  };
}
