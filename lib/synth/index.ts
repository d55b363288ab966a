export * from './docs-part';
export * from './manifests-part';
export * from './output-part';
export * from './run-cli';
