// The cluster's process supervisor. Runs as pid 1 of the cluster's own pid, mount and network
// namespaces (started by cluster.ts through `unshare`), so that every process of the cluster lives and
// dies with it: when this process exits, the kernel ends every process left in its pid namespace.
//
// It is plain CommonJS on purpose: it runs with `node` inside the namespaces, without a transpiler.
//
// Protocol: newline-delimited JSON over the Unix socket argv[2], one client (the harness) at a time.
//   {id, op: 'start', name, argv, env, cwd, log}  → {id, ok, pid}          starts a process (own process group)
//   {id, op: 'stop', name, timeoutMs}             → {id, ok, code, signal} SIGTERM, SIGKILL after timeoutMs, waits for exit
//   {id, op: 'relay', socket, port}               → {id, ok}               Unix socket `socket` (outside) → 127.0.0.1:port (inside)
//   {id, op: 'exit'}                              → {id, ok}               stops everything (last started first), exits
// and pushes {event: 'exit', name, code, signal} when a process ends on its own.
// When the harness's connection closes, or its stdin pipe ends (the harness ended without stopping the
// cluster), everything is stopped too, and the supervisor exits with 3 (the shell that started it then
// removes the harness's folder).
'use strict';
const { spawn } = require('node:child_process');
const { openSync, closeSync, rmSync } = require('node:fs');
const net = require('node:net');

const controlPath = process.argv[2];
/** The exit code that tells the namespace's shell the harness is gone: it then removes the harness's folder. */
const ORPHANED = 3;
/** name → { child, exited: Promise<{code, signal}>, stopping } in start order */
const processes = new Map();
const relays = [];
let client;
let exiting = false;

function send(message) {
  if (client && !client.destroyed) client.write(JSON.stringify(message) + '\n');
}

function start({ name, argv, env, cwd, log }) {
  if (processes.has(name) && processes.get(name).child.exitCode === null && processes.get(name).child.signalCode === null) {
    throw new Error(`${name} is already running`);
  }
  const fd = openSync(log, 'a');
  let child;
  try {
    // detached: its own process group, so that stop() reaches whatever it forks
    child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const entry = { child, stopping: false };
  entry.exited = new Promise((resolve) => {
    child.once('error', (error) => {
      send({ event: 'exit', name, code: null, signal: null, error: error.message });
      resolve({ code: null, signal: null, error: error.message });
    });
    child.once('exit', (code, signal) => {
      if (!entry.stopping) send({ event: 'exit', name, code, signal });
      resolve({ code, signal });
    });
  });
  processes.set(name, entry);
  return { pid: child.pid };
}

async function stop(name, timeoutMs = 10000) {
  const entry = processes.get(name);
  if (!entry) throw new Error(`no process ${name}`);
  entry.stopping = true;
  const { child } = entry;
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    await entry.exited;
    clearTimeout(timer);
  }
  return entry.exited;
}

function relay({ socket, port }) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((outside) => {
      const inside = net.connect(port, '127.0.0.1');
      outside.pipe(inside);
      inside.pipe(outside);
      outside.on('error', () => inside.destroy());
      inside.on('error', () => outside.destroy());
    });
    server.once('error', reject);
    server.listen(socket, () => {
      relays.push({ server, socket });
      resolve({});
    });
  });
}

async function exitAll(code) {
  if (exiting) return;
  exiting = true;
  for (const name of [...processes.keys()].reverse()) await stop(name).catch(() => undefined);
  for (const { server, socket } of relays) {
    server.close();
    rmSync(socket, { force: true });
  }
  rmSync(controlPath, { force: true });
  process.exit(code);
}

async function handle(request) {
  switch (request.op) {
    case 'start': return start(request);
    case 'stop': return stop(request.name, request.timeoutMs);
    case 'relay': return relay(request);
    case 'exit': return {};
    default: throw new Error(`unknown op ${request.op}`);
  }
}

const control = net.createServer((socket) => {
  if (client) {
    socket.end(JSON.stringify({ event: 'refused', error: 'one client at a time' }) + '\n');
    return;
  }
  client = socket;
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let request;
      try {
        request = JSON.parse(line);
      } catch {
        continue;
      }
      handle(request).then(
        (result) => {
          send({ id: request.id, ok: true, ...result });
          if (request.op === 'exit') void exitAll(0);
        },
        (error) => send({ id: request.id, ok: false, error: error.message }),
      );
    }
  });
  // The harness is gone (it stopped the cluster, or it died): nothing may outlive it.
  socket.on('close', () => void exitAll(ORPHANED));
  socket.on('error', () => undefined);
});
control.listen(controlPath, () => process.stdout.write('ready\n'));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => void exitAll(0));
// stdin is a pipe from the harness: its end means the harness is gone, even before it connected.
process.stdin.on('end', () => void exitAll(ORPHANED));
process.stdin.on('error', () => void exitAll(ORPHANED));
process.stdin.resume();
