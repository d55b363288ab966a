import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformSettings, SecretCatalog } from '../../../lib/catalog';
import { CliContext, HiddenLineReader, RawModeInput, RunOptions, RunResult, runCli, stdinText } from '../../../lib/cli';

/** A value no command may ever print, pass in argv, or put in a message. */
export const SENTINEL = 'SENTINEL-do-not-print-7f3a';

/** 2023-11-14T22:13:20Z: force-sync values become `force-sync=1700000000000`. */
export const FIXED_NOW_MS = 1_700_000_000_000;

/** One child process a command asked for. */
export interface RecordedRun {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly input?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface HarnessOptions {
  /** @default a small two-path catalog, see smallCatalog() */
  readonly catalog?: SecretCatalog;
  /**
   * Piped stdin, text (as UTF-8) or bytes; or, for a terminal, what is typed at each hidden prompt: a
   * line's text, or the bytes a terminal sends (with their Enter, Ctrl-C or Ctrl-D), which go through
   * the CLI's own terminal reader. @default '' piped
   */
  readonly stdin?: string | Uint8Array | { readonly tty: readonly (string | Uint8Array)[] };
  /** @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Answers child processes. @default every run succeeds with no output */
  readonly run?: (cmd: string, args: readonly string[], options: RunOptions) => RunResult | Promise<RunResult>;
  readonly fetch?: typeof fetch;
  /** @default no settings: the generic defaults, without a KMS region */
  readonly settings?: PlatformSettings;
}

/** A context that records everything, and helpers to run command lines against it. */
export interface Harness {
  readonly ctx: CliContext;
  readonly runs: RecordedRun[];
  readonly prompts: string[];
  /** Whether the command read stdin (piped) at all. */
  stdinRead(): boolean;
  stdout(): string;
  stderr(): string;
  cli(...argv: string[]): Promise<number>;
}

export function harness(options: HarnessOptions = {}): Harness {
  let out = '';
  let err = '';
  let read = false;
  const runs: RecordedRun[] = [];
  const prompts: string[] = [];
  const stdin = options.stdin ?? '';
  const piped = typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin instanceof Uint8Array ? stdin : undefined;
  const typed = piped === undefined ? [...(stdin as { readonly tty: readonly (string | Uint8Array)[] }).tty] : [];
  const ctx: CliContext = {
    catalog: options.catalog ?? smallCatalog(),
    stdout: { write: (text) => (out += text) },
    stderr: { write: (text) => (err += text) },
    stdin: {
      isTTY: piped === undefined,
      async readBytes() {
        read = true;
        return piped ?? new Uint8Array();
      },
      async readAll() {
        read = true;
        return stdinText(piped ?? new Uint8Array());
      },
      async readHidden(prompt) {
        prompts.push(prompt);
        const line = typed.shift();
        if (line === undefined) throw new Error(`no typed line left for prompt ${JSON.stringify(prompt)}`);
        return typeof line === 'string' ? line : typeAtTerminal(prompt, line);
      },
    },
    env: options.env ?? {},
    now: () => FIXED_NOW_MS,
    async run(cmd, args, runOptions = {}) {
      runs.push({ cmd, args: [...args], ...(runOptions.input !== undefined ? { input: runOptions.input } : {}), ...(runOptions.env ? { env: runOptions.env } : {}) });
      return options.run ? options.run(cmd, args, runOptions) : { exitCode: 0, stdout: '', stderr: '' };
    },
    fetch: options.fetch,
    settings: options.settings,
  };
  return {
    ctx,
    runs,
    prompts,
    stdinRead: () => read,
    stdout: () => out,
    stderr: () => err,
    cli: (...argv) => runCli(ctx, argv),
  };
}

/** A terminal's input in raw mode: it delivers bytes, as a real one does. */
export class ByteTty extends EventEmitter implements RawModeInput {
  public readonly rawModes: boolean[] = [];
  public setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
  public resume(): this {
    return this;
  }
  public pause(): this {
    return this;
  }
  public type(...bytes: number[]): void {
    this.emit('data', Buffer.from(bytes));
  }
}

/** What the CLI's terminal reader makes of `bytes` typed at `prompt`: the line, or its refusal. */
export function typeAtTerminal(prompt: string, bytes: Uint8Array): Promise<string> {
  const tty = new ByteTty();
  const line = new HiddenLineReader(tty, { write: () => undefined }).read(prompt);
  tty.type(...bytes);
  return line;
}

/** Two paths; `apps/chat` feeds two Secrets in two namespaces, like the homelab's apps/openclaw. */
export function smallCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });
  catalog.path('apps/vpn', ['USER', 'PASSWORD']).syncTo({ name: 'vpn-credentials', namespace: 'arr' });
  const chat = catalog.path('apps/chat', ['GATEWAY_TOKEN', 'HOOKS_TOKEN', 'API_KEY']);
  chat.syncTo({ name: 'chat-secrets', namespace: 'chat' });
  chat.syncTo({ name: 'hooks-token', namespace: 'monitoring', keys: ['HOOKS_TOKEN'], renames: { HOOKS_TOKEN: 'token' } });
  return catalog;
}

/** Everything a test can observe, for sentinel checks. */
export function everythingSeen(h: Harness): string {
  return [h.stdout(), h.stderr(), ...h.prompts, ...h.runs.map((r) => JSON.stringify(r.args))].join('\n');
}

/** A program on PATH that records each call's argv as one JSON array per line. */
export interface RecordingCommand {
  /** The directory holding it: put it first on PATH. */
  readonly dir: string;
  /** The argv of every call so far, in order. */
  calls(): string[][];
  /** The bytes each call read on its stdin, in order. */
  stdins(): Buffer[];
}

/**
 * Writes an executable `name` into `dir` (a fresh temporary directory by default) that appends its
 * argv to a log. Without `delegateTo` it exits 0, or with `exitCodes[n]` on call n; with it, it runs
 * that program with the same argv, stdin and output, and exits as it does.
 */
export function recordingCommand(name: string, options: { readonly dir?: string; readonly delegateTo?: string; readonly exitCodes?: readonly number[] } = {}): RecordingCommand {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'homelab-secrets-bin-'));
  const log = join(dir, `${name}.calls.jsonl`);
  const script = [
    `#!${process.execPath}`,
    "const fs = require('node:fs');",
    `const log = ${JSON.stringify(log)};`,
    'const n = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\\n").filter(Boolean).length : 0;',
    'fs.appendFileSync(log, JSON.stringify(process.argv.slice(2)) + "\\n");',
    // every byte of stdin, kept as it came, and handed on to the delegate
    'const input = fs.readFileSync(0);',
    `fs.writeFileSync(${JSON.stringify(log)} + ".stdin." + n, input);`,
    ...(options.delegateTo
      ? [
        `const result = require('node:child_process').spawnSync(${JSON.stringify(options.delegateTo)}, process.argv.slice(2), { stdio: ['pipe', 'inherit', 'inherit'], input });`,
        'process.exit(result.status ?? 1);',
      ]
      : [
        `const codes = ${JSON.stringify(options.exitCodes ?? [])};`,
        'if (codes[n]) process.stderr.write("error: fake failure\\n");',
        'process.exit(codes[n] ?? 0);',
      ]),
    '',
  ].join('\n');
  writeFileSync(join(dir, name), script);
  chmodSync(join(dir, name), 0o755);
  return {
    dir,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []),
    stdins: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((_, n) => readFileSync(`${log}.stdin.${n}`)) : []),
  };
}

/** The one stand-in allowed: a `kubectl` that records its argv (no cluster runs here). */
export function fakeKubectl(exitCodes: readonly number[] = []): RecordingCommand {
  return recordingCommand('kubectl', { exitCodes });
}
