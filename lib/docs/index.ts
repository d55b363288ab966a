export * from './docs-part';
export * from './path-table';
export * from './secrets-doc';
