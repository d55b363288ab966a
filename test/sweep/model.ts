// The sweep's vocabulary: what a case is, what running it gave, and how an outcome is classed.

/** The kinds of input the sweep covers, as issue 21 lists them. */
export const KINDS = ['catalog', 'settings', 'consumer', 'import', 'cli', 'files', 'kill', 'module'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * How a case came out. `ok` is what the case declared; every other class is a finding. `wrongly
 * refused` is a valid input refused (a key such as `constructor`), `leak` a value fed on stdin that
 * shows up in the output.
 */
export const OUTCOMES = ['ok', 'data loss', 'crash', 'leak', 'wrongly accepted', 'wrongly refused', 'unclear refusal'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One process to run: its argv after `node` (or a program), working folder, stdin and environment. */
export interface Invocation {
  /** The program and its arguments; `node` is this Node. */
  readonly argv: readonly string[];
  /** Relative to the project, or absolute. @default the project */
  readonly cwd?: string;
  readonly stdin?: string | Buffer;
  /** Added to (or, undefined, removed from) the sweep's clean environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default 60 s */
  readonly timeoutMs?: number;
}

/** What a process did. */
export interface Execution {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set by cases that kill on purpose: a signal then is no crash. */
  readonly killedOnPurpose?: boolean;
}

/** A problem a case's own check found, with the class it stands for. */
export interface Finding {
  readonly outcome: Exclude<Outcome, 'ok'>;
  readonly text: string;
}
