export * from './eso-manifests';
export * from './namespace-secrets-chart';
export * from './secret-store-chart';
export * from './sync-waves';
export * from './vault-cluster-secret-store';
export * from './vault-external-secret';
