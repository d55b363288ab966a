export * from './secret-keys';
export * from './secret-wiring';
