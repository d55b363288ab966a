export * from './construct-validation';
export * from './output-error';
export * from './output-part';
export { OUTPUT_RECORD, recordPathOf } from './output-record';
export * from './peer-dependency';
export * from './run-cli';
export * from './user-error';
