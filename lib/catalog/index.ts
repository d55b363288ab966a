export * from './eso-access';
export * from './rules';
export * from './secret-catalog';
export * from './sources';
export * from './sync-target';
export * from './validation';
export * from './vault-path';
