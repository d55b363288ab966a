// Everything a homelab decides beyond its catalog: the KMS unseal key, the Vault install, where the
// Argo CD Applications or the Flux objects go, and where Terraform keeps its state. Declared once (next to the catalog),
// validated in the same pass as the catalog, and read by every renderer from the resolved form.
export * from './defaults';
export * from './resolution';
export * from './types';
export * from './validation';
