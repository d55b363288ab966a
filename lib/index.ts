export * from './argocd';
export * from './catalog';
export * from './docs';
export * from './k8s';
export * from './platform';
export * from './synth';
