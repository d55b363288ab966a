export * from './kms-unseal';
export * from './settings-error';
