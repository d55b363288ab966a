// The main entry point, `homelab-secrets`: the catalog model and settings, the ESO manifests and the
// Argo CD Applications (cdk8s), the docs, and the all-or-nothing writer. It loads no cdktf and no
// cdk8s-plus: the Terraform side is `homelab-secrets/tf`, workload wiring `homelab-secrets/workloads`,
// the operator CLI `homelab-secrets/cli`.
export * from './argocd';
export * from './catalog';
export * from './docs';
export * from './k8s';
export * from './synth';
