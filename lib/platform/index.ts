export * from './kms-unseal';
