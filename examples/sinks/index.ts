export { startSink, type RunningSink, type ReceivedRequest, type InjectedFailure } from './sink-server.ts';
export { startMetaSink, validateMetaRequest } from './meta-sink.ts';
