export {
  startSink,
  type RunningSink,
  type ReceivedRequest,
  type InjectedFailure,
  type ChaosSettings,
  type ChaosMode,
  type SinkAnswer,
} from './sink-server.ts';
export { startMetaSink, validateMetaRequest } from './meta-sink.ts';
export { startGa4Sink, validateGa4Request } from './ga4-sink.ts';
export { startGoogleAdsSink, conversionProblems } from './google-ads-sink.ts';
export { startTikTokSink, validateTikTokRequest } from './tiktok-sink.ts';
export { redactSecrets, describeRequest, SECRET_KEYS } from './redact-secrets.ts';
