// Starts the REAL platform for the browser tests: the built `tweeling` executable, `serve` on a free
// loopback port over a fresh SQLite store in a temporary folder, seeded with the demo city, with a
// medewerker account made beforehand by the real `tweeling users add`. MQTT is off: the tests need
// only HTTP, and a fixed broker port would clash with another run on the same machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { artefactsDirectory, repositoryRoot, serverDll, webDist } from './paths.mjs';

/** Seeding the demo city (about 235,000 features and a week of sensor history) takes tens of seconds on a busy 2-core machine. */
const startTimeoutMs = 240_000;

/**
 * The server's start-up work (tile snapshots and the first view's tiles, its other requests, search index, scenario
 * baseline, then the memory it dropped returned; src/Tweeling.Server/Hosting/StartupWarmUp.cs)
 * has ended when its log has one of these events (src/Tweeling.Server/Hosting/StartupMemoryRelease.cs): 4009 ended,
 * 4010 ended but the memory was not returned, 4011 ended with returning it switched off.
 */
const startUpWorkEnded = ['"EventId":4009,', '"EventId":4010,', '"EventId":4011,'];

/** A graceful stop (Ctrl+C) flushes the store; after this the process is killed. */
const stopTimeoutMs = 20_000;

/** The account the tests sign in with; its password is made fresh for every run. */
export const testUserName = 'e2e-medewerker';

/** The role of {@link testUserName}: the lowest signed-in role that may write sensor data. */
export const testUserRole = 'medewerker';

/** The account that writes and runs scenarios (analists and beheerders may); its password is made fresh too. */
export const analistUserName = 'e2e-analist';

/**
 * Runs the tweeling executable to completion with `input` on standard input; resolves with its
 * output, rejects naming the command, exit code and output when it fails.
 */
function runTweeling(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn('dotnet', [serverDll, ...args], { cwd: repositoryRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0
      ? resolve(output)
      : reject(new Error(`tweeling ${args.join(' ')} exited with ${code}:\n${output}`))));
    child.stdin.end(input ?? '');
  });
}

/** A loopback port nothing listens on now (the OS picks it; the server takes it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The last lines of the server's log, for an error message that says why it did not come up. */
async function tail(file, lines = 30) {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Starts `tweeling serve` over a new store and resolves once `/healthz` answers 200 (the store is
 * seeded and the web server listens). The server's output goes to TestResults/e2e/server-<port>.log.
 * `warmedUp` resolves once the server's start-up work has ended (benchmarks wait for it, so it does not share the cores
 * with what they measure).
 * `pid` is the server's process (`dotnet tweeling.dll` runs the server in that process), whose CPU time the benchmark reads.
 * @returns {Promise<{ url: string, pid: number, user: { name: string, password: string, role: string }, analist: { name: string, password: string, role: string }, warmedUp: Promise<void>, stop: () => Promise<void> }>}
 */
export async function startServer() {
  if (!existsSync(serverDll)) {
    throw new Error(`${serverDll} is missing: build the server first (dotnet build src/Tweeling.Server -c Release).`);
  }

  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error(`${webDist} has no index.html: build the web UI first (npm run build in web/).`);
  }

  const folder = await mkdtemp(path.join(tmpdir(), 'tweeling-e2e-'));
  const store = path.join(folder, 'tweeling.db');
  // 18 random bytes are 24 base64url characters, over the platform's minimum password length.
  const user = { name: testUserName, password: randomBytes(18).toString('base64url'), role: testUserRole };
  await runTweeling(['--store', store, 'users', 'add', user.name, '--role', user.role], `${user.password}\n`);
  const analist = { name: analistUserName, password: randomBytes(18).toString('base64url'), role: 'analist' };
  await runTweeling(['--store', store, 'users', 'add', analist.name, '--role', analist.role], `${analist.password}\n`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await mkdir(artefactsDirectory, { recursive: true });
  const logFile = path.join(artefactsDirectory, `server-${port}.log`);
  const log = createWriteStream(logFile);
  const child = spawn('dotnet', [serverDll, '--store', store, 'serve', '--urls', url, '--mqtt-port', '0'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const warmedUp = new Promise((resolve) => {
    // Chunks may split a line, so the tail of the last chunk is kept with the next.
    let pending = '';
    const watch = (chunk) => {
      pending += chunk;
      if (startUpWorkEnded.some((event) => pending.includes(event))) {
        child.stdout.off('data', watch);
        resolve();
      }
      pending = pending.slice(-64);
    };
    child.stdout.on('data', watch);
  });
  let exited = null;
  const closed = new Promise((resolve) => child.on('close', (code, signal) => {
    exited = { code, signal };
    resolve();
  }));

  const stop = async () => {
    if (exited === null) {
      child.kill('SIGINT');
      const stopped = await Promise.race([closed.then(() => true), delay(stopTimeoutMs, false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await closed;
      }
    }

    await rm(folder, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      await stop();
      throw new Error(`tweeling serve exited (${exited.code ?? exited.signal}) before it was ready; ${logFile} ends:\n${await tail(logFile)}`);
    }

    try {
      const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (health.ok) {
        return { url, pid: child.pid, user, analist, warmedUp, stop };
      }
    } catch {
      // Not listening yet (still seeding the demo city): try again.
    }

    await delay(500);
  }

  await stop();
  throw new Error(`tweeling serve was not ready within ${startTimeoutMs / 1000} s; ${logFile} ends:\n${await tail(logFile)}`);
}
