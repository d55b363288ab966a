export * from './catalog';
export * from './k8s';
export * from './platform';
export * from './synth';
