import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Socket, connect } from 'node:net';
import { join } from 'node:path';

/** How a process of the cluster ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly error?: string;
}

/** What a process of the cluster runs. */
export interface ProcessSpec {
  readonly argv: readonly string[];
  /** Its whole environment: nothing is inherited (ESO must not see VAULT_* or BAO_*). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Its stdout and stderr go here (appended). */
  readonly log: string;
}

/** The files the namespaces are set up from (see NAMESPACE_SETUP). */
export interface NamespaceFiles {
  /** Mounted as a tmpfs inside: etcd's and OpenBao's data, gone with the namespaces. */
  readonly tmpfs: string;
  /** Bind-mounted on the pod's service account folder (/var/run/secrets/kubernetes.io/serviceaccount). */
  readonly podServiceAccount: string;
  /** Bind-mounted on /etc/hosts. */
  readonly hosts: string;
  /** The supervisor's control socket. */
  readonly control: string;
  /** The harness's folder: removed by the namespace's first process when the harness died without stopping the cluster. */
  readonly dir: string;
}

/** The supervisor of a cluster's processes, running in the cluster's namespaces; see supervisor.js. */
export interface Supervisor {
  /** The pid of `unshare` (the supervisor is its only child, pid 1 of the new pid namespace). */
  readonly pid: number;
  start(name: string, spec: ProcessSpec): Promise<number>;
  /** SIGTERM to the process group, SIGKILL after `timeoutMs`; resolves once it has exited. */
  stop(name: string, timeoutMs?: number): Promise<ProcessExit>;
  /** Listens on the Unix socket `socket` and relays each connection to 127.0.0.1:`port` inside. */
  relay(socket: string, port: number): Promise<void>;
  /** The exit of a process that ended by itself (not through stop), if it did. */
  exited(name: string): ProcessExit | undefined;
  /** Stops every process, last started first, then the supervisor; resolves once `unshare` has exited. */
  shutdown(): Promise<void>;
}

/** How supervisor.js exits when its harness went away without stopping it. */
export const ORPHANED_EXIT_CODE = 3;

/**
 * Sets up the namespaces, then runs the supervisor (and, if the harness died, removes its folder): loopback up; a tmpfs for the data; a private
 * /run (so /var/run) holding the pod's service account folder, bound to a folder the harness writes;
 * /etc/hosts bound to the cluster's (the Services' names on 127.0.0.1). All in the new mount namespace
 * (unshare makes its mounts private): nothing changes outside.
 */
const NAMESPACE_SETUP = [
  'set -e',
  'ip link set lo up',
  'mount -t tmpfs -o mode=0700 tmpfs "$1"',
  'run="$(readlink -f /var/run)"',
  'mount -t tmpfs tmpfs "$run"',
  'mkdir -p "$run/secrets/kubernetes.io/serviceaccount"',
  'mount --bind "$2" "$run/secrets/kubernetes.io/serviceaccount"',
  'mount --bind "$3" /etc/hosts',
  'set +e',
  '"$4" "$5" "$6"',
  'code=$?',
  // 3: the harness is gone without stopping the cluster (killed); its folder goes with the cluster.
  `if [ "$code" = ${ORPHANED_EXIT_CODE} ]; then umount "$1"; rm -rf "$7"; fi`,
  'exit "$code"',
].join('\n');

/** Whether `unshare` with these flags works here (root needs no user namespace; anyone else does). */
export function namespaceFlags(): string[] {
  const root = process.getuid?.() === 0;
  const flags = [...(root ? [] : ['--user', '--map-root-user']), '--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc'];
  const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'ip link set lo up'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`\`unshare ${flags.join(' ')}\` with \`ip link set lo up\` fails here (${probe.error?.message ?? probe.stderr.trim()}): `
      + 'the cluster runs in its own network, mount and pid namespaces; it needs root, or unprivileged user namespaces, and iproute2');
  }
  return flags;
}

/** Starts the supervisor in new namespaces and connects to it. */
export async function startSupervisor(files: NamespaceFiles, timeoutMs: number): Promise<Supervisor> {
  const flags = namespaceFlags();
  // stdin stays a pipe from this process: when this process ends, however, the supervisor reads EOF
  // and stops the cluster (supervisor.js); --kill-child ends the supervisor (and so its pid namespace)
  // if unshare itself is killed.
  const child: ChildProcess = spawn('unshare', [...flags, 'sh', '-c', NAMESPACE_SETUP, 'sh',
    files.tmpfs, files.podServiceAccount, files.hosts, process.execPath, join(__dirname, 'supervisor.js'), files.control, files.dir,
  ], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  let output = '';
  child.stderr!.on('data', (chunk) => (output = (output + String(chunk)).slice(-4000)));
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cluster's supervisor did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the cluster's supervisor exited with ${code} at start: ${output}`));
    });
  });
  child.stdout!.resume();

  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(files.control, () => resolve(s));
    s.once('error', reject);
  });
  socket.setEncoding('utf8');
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  const exits = new Map<string, ProcessExit>();
  let buffered = '';
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (message.event === 'exit') {
        exits.set(message.name, { code: message.code, signal: message.signal, error: message.error });
      } else if (pending.has(message.id)) {
        const { resolve, reject } = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.ok) resolve(message);
        else reject(new Error(message.error));
      }
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('close', () => {
    for (const { reject } of pending.values()) reject(new Error(`the cluster's supervisor is gone: ${output}`));
    pending.clear();
  });
  socket.on('error', () => undefined);
  const request = (message: Record<string, unknown>): Promise<any> => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    socket.write(JSON.stringify({ id, ...message }) + '\n');
  });

  return {
    pid: child.pid!,
    start: async (name, spec) => {
      exits.delete(name);
      return (await request({ op: 'start', name, argv: spec.argv, env: spec.env, cwd: spec.cwd, log: spec.log })).pid;
    },
    stop: async (name, timeoutMs = 15000) => {
      const answer = await request({ op: 'stop', name, timeoutMs });
      return { code: answer.code ?? null, signal: answer.signal ?? null };
    },
    relay: async (socketPath, port) => {
      await request({ op: 'relay', socket: socketPath, port });
    },
    exited: (name) => exits.get(name),
    shutdown: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await request({ op: 'exit' }).catch(() => undefined);
        // If the supervisor does not end by itself, ending unshare ends its pid namespace's init.
        const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
        await gone;
        clearTimeout(timer);
      }
      socket.destroy();
      await closed;
    },
  };
}
