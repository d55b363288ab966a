export * from './charts';
export * from './component-releases';
export * from './external-secrets-release';
export * from './helm-values';
export * from './reloader-release';
export * from './vault-release';
export * from './vault-server-config';
