export * from './manifests-part';
export * from './output-part';
export * from './run-cli';
