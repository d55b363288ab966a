import { TerraformElement, TerraformStack } from 'cdktf';
import { Construct, Node } from 'constructs';
import { type StateBackendSettings, invalidProp } from '../catalog';
import { addStateBackend } from './backend';
import { literalTerraformJson } from './terraform-json';

/** Properties for `ReadableStack`. */
export interface ReadableStackProps {
  /** Where Terraform keeps this stack's state. @default - a local file, '../../../state/<stack>.tfstate' */
  readonly backend?: StateBackendSettings;
}

/** `KvMount/Resource` → `kv_mount`, `KubernetesAuth/Role` → `kubernetes_auth_role`. */
export function readableLogicalId(components: readonly string[]): string {
  return components
    .filter((c) => c !== 'Resource' && c !== 'Default')
    .map((c) => c.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase())
    .join('_');
}

/**
 * The base of both stacks: the state backend; Terraform addresses derived from construct paths
 * without cdktf's hash suffix (`vault_mount.kv_mount`, not `vault_mount.KvMount_57F76643`), so that
 * `terraform import` and `terraform state` commands have names people can type and a README can quote;
 * and JSON in which every string a construct sets reads back as exactly that string: `${` and `%{`
 * escaped where Terraform reads a template, refused where it reads the string as written
 * (terraform-json.ts). cdktf's references keep working.
 */
export abstract class ReadableStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ReadableStackProps) {
    super(scope, id);
    addStateBackend(this, props.backend);
  }

  /** The stack's Terraform JSON, every literal string escaped or refused. */
  public toTerraform(): any {
    return literalTerraformJson(this, () => super.toTerraform());
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const path = node.scopes.slice(node.scopes.indexOf(this) + 1).map((c) => c.node.id);
    const id = readableLogicalId(path);
    // Without the hash two paths could meet ("A/B" and "AB"); Terraform keys names by type, so do we.
    const type = (element as { terraformResourceType?: string }).terraformResourceType ?? '';
    const key = `${type}.${id}`;
    const owner = this.allocated.get(key);
    if (owner !== undefined && owner !== node.path) {
      invalidProp(`construct "${node.path}"`, 'Terraform name', id, `is already the name of "${owner}"; rename one of them`);
    }
    this.allocated.set(key, node.path);
    return id;
  }
}
