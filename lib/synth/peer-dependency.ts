// Optional peer dependencies: the packages an entry point takes from the project only when the
// project uses it (cdktf and the two providers for `homelab-secrets/tf`, cdk8s-plus-27 for
// `homelab-secrets/workloads`). A project that lacks one gets one line naming it and the command that
// installs it, instead of Node's "Cannot find module" and its require stack.

/** An optional peer dependency: the package, the range package.json declares, and what needs it. */
export interface PeerDependency {
  /** The package name, as `npm install` takes it. */
  readonly name: string;
  /** The version range of package.json's `peerDependencies`: the releases the library is tested with. */
  readonly range: string;
  /** What needs it, for the message: `the KMS unseal stack`. */
  readonly neededFor: string;
}

/**
 * A peer dependency the project has not installed; `runSynthMain` and the CLI print its one-line
 * message. It carries no stack frames: it is the project's setup, not a bug, and where nothing catches
 * it (an import at the top of a script) Node then prints the line without a module-loading stack.
 */
export class MissingPeerError extends Error {
  constructor(entryPoint: string, missing: readonly PeerDependency[]) {
    super(missingPeersMessage(entryPoint, missing));
    this.name = 'MissingPeerError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * `homelab-secrets/tf needs cdktf (for every Terraform stack), which is not installed: npm install 'cdktf@^0.21.0'`.
 * The specs are single-quoted because `^` is a glob character in some shells (zsh's extended glob);
 * names and ranges are the library's own constants, which hold no quote.
 */
export function missingPeersMessage(entryPoint: string, missing: readonly PeerDependency[]): string {
  const needs = missing.map((peer) => `${peer.name} (for ${peer.neededFor})`);
  const listed = needs.length === 1 ? needs[0] : `${needs.slice(0, -1).join(', ')} and ${needs[needs.length - 1]}`;
  const verb = missing.length === 1 ? 'is' : 'are';
  return `${entryPoint} needs ${listed}, which ${verb} not installed: npm install ${missing.map((peer) => `'${peer.name}@${peer.range}'`).join(' ')}`;
}

/** Whether `name` resolves from the library, as its own `require(name)` would; nothing is loaded. */
export function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}

/** Throws one {@link MissingPeerError} naming every one of `peers` that is not installed. */
export function requirePeers(entryPoint: string, peers: readonly PeerDependency[]): void {
  const missing = peers.filter((peer) => !isInstalled(peer.name));
  if (missing.length > 0) throw new MissingPeerError(entryPoint, missing);
}
