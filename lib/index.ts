export * from './catalog';
export * from './k8s';
export * from './synth';
