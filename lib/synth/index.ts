export * from './construct-validation';
export * from './output-part';
export * from './run-cli';
