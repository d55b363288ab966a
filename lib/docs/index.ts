export * from './path-table';
