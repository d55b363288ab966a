import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Declaration } from '../catalog';
import { CliContext, CliError, CliStdin, EXIT, RunOptions, RunResult } from './context';

/** A shell's exit code for "command not found", used when a child cannot be started. */
const NOT_STARTED_EXIT_CODE = 127;

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = ['\u007f', '\b'];

/** The part of a TTY read stream a hidden prompt needs. */
export interface RawModeInput {
  setRawMode(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
}

/**
 * Reads lines from a terminal in raw mode, so nothing typed or pasted is echoed. Enter ends a line
 * (CR LF counts once), Backspace deletes, Ctrl-C aborts (exit 130) and Ctrl-D on an empty line is end
 * of input. What arrives after a line's end (a paste of two lines, typing ahead) is kept for the next.
 */
export class HiddenLineReader {
  private pending = '';
  private skipLineFeed = false;

  constructor(private readonly input: RawModeInput, private readonly output: { write(text: string): void }) {}

  /**
   * Leaves echo off, writes `prompt`, then reads one line. Raw mode comes first: whatever is typed or
   * pasted as soon as the prompt shows must not reach a terminal that still echoes.
   */
  public read(prompt: string): Promise<string> {
    const { input, output } = this;
    input.setRawMode(true);
    output.write(prompt);
    input.setEncoding('utf8');
    input.resume();
    return new Promise((resolve, reject) => {
      let value = '';
      const finish = (): void => {
        input.off('data', consume);
        input.setRawMode(false);
        input.pause();
        output.write('\n');
      };
      const fail = (error: CliError): void => {
        this.pending = '';
        finish();
        reject(error);
      };
      // Returns whether the line is complete.
      const consume = (chunk: string): boolean => {
        const chars = [...chunk];
        for (let i = 0; i < chars.length; i++) {
          const ch = chars[i];
          if (this.skipLineFeed) {
            this.skipLineFeed = false;
            if (ch === '\n') continue;
          }
          if (ch === '\r' || ch === '\n') {
            this.skipLineFeed = ch === '\r';
            this.pending = chars.slice(i + 1).join('');
            finish();
            resolve(value);
            return true;
          }
          if (ch === CTRL_C) {
            fail(new CliError('interrupted; nothing was changed', EXIT.interrupted));
            return true;
          }
          if (ch === CTRL_D && value === '') {
            fail(new CliError('end of input at the prompt; nothing was changed'));
            return true;
          }
          value = BACKSPACES.includes(ch) ? [...value].slice(0, -1).join('') : value + ch;
        }
        return false;
      };
      const leftover = this.pending;
      this.pending = '';
      if (!consume(leftover)) input.on('data', consume);
    });
  }
}

function processStdin(): CliStdin {
  const stdin = process.stdin;
  let hidden: HiddenLineReader | undefined;
  return {
    isTTY: stdin.isTTY === true,
    async readAll() {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
    readHidden(prompt) {
      hidden ??= new HiddenLineReader(stdin, process.stderr);
      return hidden.read(prompt);
    },
  };
}

/** Runs a program with an argument array (never a shell), capturing its output. */
export function spawnRun(defaultEnv: Readonly<Record<string, string | undefined>>) {
  return (cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> =>
    new Promise((resolve) => {
      const child = spawn(cmd, [...args], { env: { ...(options.env ?? defaultEnv) }, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      // A child that exits without reading its stdin closes the pipe; that is its error to report.
      child.stdin.on('error', () => undefined);
      child.once('error', (error) => resolve({ exitCode: NOT_STARTED_EXIT_CODE, stdout, stderr: `${cmd}: ${error.message}` }));
      child.once('close', (code, signal) => resolve({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
}

/** The real CLI's context over `declaration`: this process's streams, environment and clock. */
export function nodeContext(declaration: Declaration, options: { readonly terraformOutdir?: string } = {}): CliContext {
  return {
    catalog: declaration.catalog,
    settings: declaration.settings,
    terraformOutdir: options.terraformOutdir,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: processStdin(),
    env: process.env,
    now: () => Date.now(),
    run: spawnRun(process.env),
  };
}
