// First: without cdk8s-plus-27, importing homelab-secrets/workloads fails here with one line.
import './require-cdk8s-plus';

export * from './secret-keys';
export * from './secret-wiring';
