export * from './eso-manifests';
export * from './manifests-part';
export * from './namespace-secrets-chart';
export * from './secret-store-chart';
export * from './sync-waves';
export * from './vault-cluster-secret-store';
export * from './vault-external-secret';
export { RELOADER_MATCH_ANNOTATION } from './private/catalog-mapping';
