export * from './add-component-applications';
export * from './component-table';
export * from './components-chart';
export * from './external-secrets-application';
export * from './helm-application';
export * from './reloader-application';
export * from './vault-application';
