/** Wire-protocol major version; the ingest path is `/v{PROTOCOL_VERSION}/batch`. */
export const PROTOCOL_VERSION = 1 as const;
