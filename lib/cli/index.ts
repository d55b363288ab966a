export * from './catalog-lookup';
export * from './check';
export * from './context';
export * from './force-sync';
export * from './kms-secret';
export * from './main';
export * from './new-path';
export * from './node-context';
export * from './program';
export * from './rebuild';
export * from './rotate';
export * from './status';
export * from './table';
export * from './vault-kv-client';
// The importer as a function, for tools that measure it over many repositories without a process each.
export { type ImportOptions, type ImportResult, formatNote, formatRefusal, formatRoundTrip, importTexts } from './import';
