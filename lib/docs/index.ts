export * from './path-table';
export * from './secrets-doc';
