// @sluice/edge-models/runtime — a tiny op-subset ONNX runtime for small ranking models (browser, worker, Node).
export { createTinySession, type TinySession, type TinySessionError } from './tiny-session.ts';
export { readOnnx, type OnnxGraph, type OnnxNode, type Tensor } from './read-onnx.ts';
export { OPERATORS } from './operators.ts';
