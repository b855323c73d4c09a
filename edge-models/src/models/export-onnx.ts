import { ModelProto, ONNX_FLOAT, ONNX_INT64, ONNX_IR_VERSION, ONNX_OPSET } from './onnx-schema.ts';
import type { LogisticRegression } from './logistic-regression.ts';
import type { FactorizationMachine } from './factorization-machine.ts';
import type { MultilayerPerceptron } from './multilayer-perceptron.ts';

/** Input and output tensor names of every exported ranking model. */
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'score';

type Node = { op_type: string; input: string[]; output: string[]; name: string; attribute?: object[] };

const floatTensor = (name: string, dims: number[], values: ArrayLike<number>) => ({
  name, dims, data_type: ONNX_FLOAT, raw_data: new Uint8Array(Float32Array.from(values as number[]).buffer),
});
const int64Tensor = (name: string, dims: number[], values: bigint[]) => ({
  name, dims, data_type: ONNX_INT64, raw_data: new Uint8Array(BigInt64Array.from(values).buffer),
});
const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } },
});

function encode(graphName: string, nodes: Node[], initializer: object[], features: number, doc: string): Uint8Array {
  const model = {
    ir_version: ONNX_IR_VERSION, producer_name: 'sluice-edge-models', producer_version: '0.1.0', doc_string: doc,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: graphName, node: nodes, initializer,
      input: [valueInfo(INPUT_NAME, ['N', features])], output: [valueInfo(OUTPUT_NAME, ['N', 1])],
    },
  };
  const error = ModelProto.verify(model);
  if (error) throw new Error(`invalid ONNX model: ${error}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/**
 * Logistic regression as ONNX: `score = Sigmoid(Gemm(features, W, b))`, W `[d, 1]`.
 *
 * @example
 * writeFileSync('model.onnx', exportLogisticRegression(model));
 */
export function exportLogisticRegression(model: LogisticRegression): Uint8Array {
  const d = model.weights.length;
  return encode('logistic_regression', [
    { op_type: 'Gemm', input: [INPUT_NAME, 'W', 'b'], output: ['logit'], name: 'linear' },
    { op_type: 'Sigmoid', input: ['logit'], output: [OUTPUT_NAME], name: 'probability' },
  ], [floatTensor('W', [d, 1], model.weights), floatTensor('b', [1], [model.bias])], d, 'click probability at position 1; logistic regression');
}

/**
 * Factorization machine as ONNX, the O(d·k) form:
 * `score = Sigmoid(Gemm(x, w, b) + 0.5 · ReduceSum((x·V)² − (x²)·(V²), axis 1))`.
 *
 * @example
 * writeFileSync('model.onnx', exportFactorizationMachine(fm));
 */
export function exportFactorizationMachine(model: FactorizationMachine): Uint8Array {
  const d = model.weights.length;
  const k = model.factorCount;
  const squared = model.factors.map((v) => Math.fround(v * v));
  return encode('factorization_machine', [
    { op_type: 'Gemm', input: [INPUT_NAME, 'w', 'b'], output: ['linear'], name: 'linear' },
    { op_type: 'MatMul', input: [INPUT_NAME, 'V'], output: ['xv'], name: 'xv' },
    { op_type: 'Mul', input: ['xv', 'xv'], output: ['xv_sq'], name: 'xv_sq' },
    { op_type: 'Mul', input: [INPUT_NAME, INPUT_NAME], output: ['x_sq'], name: 'x_sq' },
    { op_type: 'MatMul', input: ['x_sq', 'V_sq'], output: ['x_sq_v_sq'], name: 'x_sq_v_sq' },
    { op_type: 'Sub', input: ['xv_sq', 'x_sq_v_sq'], output: ['pair_terms'], name: 'pair_terms' },
    { op_type: 'ReduceSum', input: ['pair_terms', 'axes'], output: ['pair_sum'], name: 'pair_sum', attribute: [{ name: 'keepdims', type: 2, i: 1 }] },
    { op_type: 'Mul', input: ['pair_sum', 'half'], output: ['pairwise'], name: 'pairwise' },
    { op_type: 'Add', input: ['linear', 'pairwise'], output: ['logit'], name: 'logit' },
    { op_type: 'Sigmoid', input: ['logit'], output: [OUTPUT_NAME], name: 'probability' },
  ], [
    floatTensor('w', [d, 1], model.weights), floatTensor('b', [1], [model.bias]),
    floatTensor('V', [d, k], model.factors), floatTensor('V_sq', [d, k], squared),
    int64Tensor('axes', [1], [1n]), floatTensor('half', [1], [0.5]),
  ], d, 'click probability at position 1; second-order factorization machine');
}

/**
 * One-hidden-layer perceptron as ONNX: `score = Sigmoid(Gemm(Relu(Gemm(features, W1, b1)), w2, b2))`,
 * W1 `[d, hidden]`, w2 `[hidden, 1]`.
 *
 * @example
 * writeFileSync('model.onnx', exportMultilayerPerceptron(mlp));
 */
export function exportMultilayerPerceptron(model: MultilayerPerceptron): Uint8Array {
  const h = model.hidden;
  const d = model.hiddenWeights.length / h;
  return encode('multilayer_perceptron', [
    { op_type: 'Gemm', input: [INPUT_NAME, 'W1', 'b1'], output: ['pre_activation'], name: 'hidden' },
    { op_type: 'Relu', input: ['pre_activation'], output: ['activation'], name: 'relu' },
    { op_type: 'Gemm', input: ['activation', 'W2', 'b2'], output: ['logit'], name: 'output' },
    { op_type: 'Sigmoid', input: ['logit'], output: [OUTPUT_NAME], name: 'probability' },
  ], [
    floatTensor('W1', [d, h], model.hiddenWeights), floatTensor('b1', [h], model.hiddenBias),
    floatTensor('W2', [h, 1], model.outputWeights), floatTensor('b2', [1], [model.outputBias]),
  ], d, `click probability at position 1; multilayer perceptron (${h} ReLU units)`);
}
