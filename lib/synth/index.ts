export * from './construct-validation';
export * from './output-part';
export * from './peer-dependency';
export * from './run-cli';
