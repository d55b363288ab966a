import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { constants } from 'node:os';
import type { Declaration } from '../catalog';
import { CliContext, CliError, CliStdin, EXIT, RunOptions, RunResult } from './context';
import { TypedNotUtf8Error, decodeUtf8, stdinText, utf8Fault } from './utf8';

/** A shell's exit code for "command not found", used when a child cannot be started. */
const NOT_STARTED_EXIT_CODE = 127;

const CR = 0x0d;
const LF = 0x0a;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACES = [0x7f, 0x08];

/** The part of a TTY read stream a hidden prompt needs. It reads bytes: a string chunk (a test's) is taken as UTF-8. */
export interface RawModeInput {
  setRawMode(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
}

/** `bytes` less their last character: a lead byte and the continuation bytes (10xxxxxx) after it. */
function withoutLastCharacter(bytes: number[]): number[] {
  let end = bytes.length - 1;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.slice(0, Math.max(end, 0));
}

/**
 * Reads lines from a terminal in raw mode, so nothing typed or pasted is echoed. Enter ends a line
 * (CR LF counts once), Backspace deletes a character, Ctrl-C aborts (exit 130) and Ctrl-D on an empty
 * line is end of input. What arrives after a line's end (a paste of two lines, typing ahead) is kept
 * for the next. It works on bytes, so a character split between two reads stays whole, and a line
 * that is not UTF-8 text is refused rather than stored as other characters.
 */
export class HiddenLineReader {
  private pending: number[] = [];
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
    input.resume();
    return new Promise((resolve, reject) => {
      let value: number[] = [];
      const finish = (): void => {
        input.off('data', consume);
        input.setRawMode(false);
        input.pause();
        output.write('\n');
      };
      const fail = (error: CliError): void => {
        this.pending = [];
        finish();
        reject(error);
      };
      // Returns whether the line is complete.
      const consumeBytes = (bytes: readonly number[]): boolean => {
        for (let i = 0; i < bytes.length; i++) {
          const byte = bytes[i];
          if (this.skipLineFeed) {
            this.skipLineFeed = false;
            if (byte === LF) continue;
          }
          if (byte === CR || byte === LF) {
            this.skipLineFeed = byte === CR;
            this.pending = bytes.slice(i + 1);
            const line = Uint8Array.from(value);
            value = [];
            const fault = utf8Fault(line);
            if (fault) {
              fail(new TypedNotUtf8Error(fault));
            } else {
              finish();
              resolve(decodeUtf8(line));
            }
            return true;
          }
          if (byte === CTRL_C) {
            fail(new CliError('interrupted; nothing was changed', EXIT.interrupted));
            return true;
          }
          if (byte === CTRL_D && value.length === 0) {
            fail(new CliError('end of input at the prompt; nothing was changed'));
            return true;
          }
          value = BACKSPACES.includes(byte) ? withoutLastCharacter(value) : [...value, byte];
        }
        return false;
      };
      const consume = (chunk: Buffer | string): boolean => consumeBytes([...(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)]);
      const leftover = this.pending;
      this.pending = [];
      if (!consumeBytes(leftover)) input.on('data', consume);
    });
  }
}

/** All of this process's stdin, as bytes; with `limit`, no more than the first chunks past it. */
async function readStdinBytes(limit?: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer;
    chunks.push(bytes);
    total += bytes.length;
    if (limit !== undefined && total > limit) break;
  }
  return Buffer.concat(chunks);
}

/** `<device>:<inode>` of the regular file stdin is redirected from, or undefined (a pipe, a terminal). */
function stdinFileId(): string | undefined {
  try {
    const stat = fstatSync(0);
    return stat.isFile() ? `${stat.dev}:${stat.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function processStdin(): CliStdin {
  const stdin = process.stdin;
  let hidden: HiddenLineReader | undefined;
  return {
    isTTY: stdin.isTTY === true,
    readBytes: readStdinBytes,
    fileId: stdinFileId,
    async readAll() {
      return stdinText(await readStdinBytes());
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
