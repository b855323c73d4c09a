/** Replaced at build time with the SDK's package version (rollup.config.mjs). */
declare const __SLUICE_VERSION__: string;
