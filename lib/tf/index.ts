// First: without cdktf, importing homelab-secrets/tf fails here with one line (require-cdktf.ts).
import './require-cdktf';

export * from './backend';
export * from './eso-read-policy';
export * from './iam-policy-document';
export * from './kms-unseal-stack';
export * from './kubernetes-auth';
export * from './kv-v2-mount';
export * from './operator-login';
export * from './operator-policy';
export * from './provider-range';
export * from './readable-stack';
export * from './stack-names';
export * from './terraform-part';
export * from './vault-policy-document';
export * from './vault-stack';
