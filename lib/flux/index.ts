export * from './flux-components-chart';
export * from './flux-helm-release';
export * from './flux-helm-repository';
export * from './flux-intervals';
export * from './flux-kustomization';
export * from './flux-kustomizations-chart';
export * from './flux-manifests';
