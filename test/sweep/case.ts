// A sweep case and the helpers that declare the common shapes: a declaration synthesized, a CLI
// command over a declaration, a command with its own steps.
import type { Execution, Finding, Invocation, Kind } from './model';
import { SETTINGS, type Project } from './project';

/** What every case can use besides its project. */
export interface SweepContext {
  /** Runs one process in the project (the sweep's clean environment, stand-ins first on PATH). */
  exec(p: Project, invocation: Invocation): Promise<Execution>;
  /** Outputs of reference synths made once per sweep (for the kill cases): name → folder. */
  readonly references: ReadonlyMap<string, string>;
}

export interface SweepCase {
  /** Unique, `<kind>/<name>`. */
  readonly id: string;
  readonly kind: Kind;
  /** One line: what is hostile. */
  readonly what: string;
  readonly expect: 'accepted' | 'refused';
  /** The documented exit code. @default 0 when accepted; required when refused */
  readonly exit?: number;
  /** Refused: what the message must name (row, field, value as shown, file). */
  readonly names?: readonly string[];
  /** Values that must show in no output. */
  readonly secrets?: readonly string[];
  /** Error text of the user's own code that is no crash. */
  readonly allowed?: readonly RegExp[];
  /** Project paths an accepted run may change. @default the synth's outputs */
  readonly outputs?: readonly string[];
  /** Prepares the project; runs before the snapshot. */
  setup?(p: Project, ctx: SweepContext): void | Promise<void>;
  /** The command. @default the synth */
  run?(p: Project, ctx: SweepContext): Promise<Execution>;
  /** Checks after the run, beyond the generic ones. */
  check?(p: Project, run: Execution, ctx: SweepContext): Finding[] | Promise<Finding[]>;
  /** Whether the generic output checks (manifests, Terraform, docs) apply to an accepted run. @default true for a synth */
  readonly checkOutputs?: boolean;
  /** What the case needs of the machine; without it the case is skipped (under CI that is an error). @default nothing */
  readonly needs?: readonly Need[];
}

/** Tools and rights some cases need: strace to kill at a system call, unshare and root for mounts, setpriv to run as nobody. */
export type Need = 'strace' | 'unshare' | 'setpriv' | 'root';

/** The outputs of the sweep's synth entry, as project paths. */
export const SYNTH_OUTPUTS: readonly string[] = ['manifests/', 'cdktf.out/', 'docs/', 'clusters/'];

/** A declaration whose function body is `body`, synthesized. */
export function synthCase(kind: Kind, name: string, what: string, body: string, expectation: Expect, extra: Partial<SweepCase> = {}): SweepCase {
  return {
    id: `${kind}/${name}`,
    kind,
    what,
    ...expectationOf(expectation),
    ...extra,
    setup: async (p, ctx) => {
      p.declaration(body);
      await extra.setup?.(p, ctx);
    },
  };
}

/** `accepted`, or `[exit, ...names]` for a refusal. */
export type Expect = 'accepted' | readonly [number, ...string[]];

export function expectationOf(expectation: Expect): Pick<SweepCase, 'expect' | 'exit' | 'names'> {
  if (expectation === 'accepted') return { expect: 'accepted' };
  const [exit, ...names] = expectation;
  return { expect: 'refused', exit, names };
}

/**
 * A catalog of one path `apps/db` with keys `keys`, synced with `options`: an object literal (`{ ... }`)
 * gets `name: 'db', namespace: 'apps'` first; any other expression is the options as they are (so a
 * getter, a Proxy or a prototype reaches syncTo untouched).
 */
export function onePath(keys = "['user', 'password']", options = '{}', settings = 'SETTINGS', path = "'apps/db'"): string {
  const target = options.startsWith('{') ? `{ name: 'db', namespace: 'apps', ${options.slice(1).trim()}` : options;
  return [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    `  catalog.path(${path}, ${keys}).syncTo(${target});`,
    `  return { catalog, settings: ${settings} };`,
  ].join('\n');
}

/** A valid catalog with settings `settings` (an expression over SETTINGS). */
export function withSettings(settings: string): string {
  return onePath(undefined, undefined, settings);
}

/** A CLI command over a declaration body (the fixture one by default). */
export function cliCase(kind: Kind, name: string, what: string, args: readonly string[], expectation: Expect, extra: Partial<SweepCase> & { body?: string; stdin?: string | Buffer; env?: Record<string, string | undefined> } = {}): SweepCase {
  const { body, stdin, env, ...rest } = extra;
  return {
    id: `${kind}/${name}`,
    kind,
    what,
    outputs: [],
    checkOutputs: false,
    ...expectationOf(expectation),
    ...rest,
    setup: async (p, ctx) => {
      p.declaration(body ?? FIXTURE_BODY);
      await rest.setup?.(p, ctx);
    },
    run: rest.run ?? ((p, ctx) => ctx.exec(p, p.cli(args, { stdin, env }))),
  };
}

/** The declaration most CLI cases work over: two paths, one Merge target with a rename, a generated and an external origin. */
export const FIXTURE_BODY = [
  "  const catalog = new SecretCatalog({ mount: 'kv' });",
  "  catalog.path('apps/db', ['user', 'password'], { origins: { user: external({ hint: 'a user name' }), password: generated({ length: 32 }) } })",
  "    .syncTo({ name: 'db-credentials', namespace: 'apps' });",
  "  catalog.path('apps/oidc', ['clientSecret']).syncTo({ name: 'portal-secret', namespace: 'portal', creationPolicy: 'Merge', renames: { clientSecret: 'oidc.clientSecret' } });",
  '  return { catalog, settings: SETTINGS };',
].join('\n');

export { SETTINGS };
