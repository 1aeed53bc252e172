// The end-to-end suite: starts the real platform once (tweeling serve over a fresh demo-city store,
// with a test account), runs every web/e2e/*.test.mjs with Node's test runner against it, one file at
// a time (two software-WebGL browsers at once would only slow each other on 2 cores), stops the server
// and ends with "e2e: N passed, N failed, N skipped" — the line test.sh adds to its total.
//
//   node web/e2e/run.mjs [--test-name-pattern=…]     (or: npm run e2e, in web/)
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './harness/server.mjs';
import { environment } from './harness/twin.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The spec reporter's summary ("ℹ pass 7"); cancelled tests (a hook or the file failed) count as failed. */
function count(output, word) {
  const matches = [...output.matchAll(new RegExp(`^\\S* ?${word} (\\d+)$`, 'gm'))];
  return matches.length === 0 ? 0 : Number(matches.at(-1)[1]);
}

function summarise(passed, failed, skipped) {
  console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

let server;
try {
  server = await startServer();
} catch (error) {
  console.error(`e2e: the platform did not start: ${error.message}`);
  summarise(0, 1, 0);
  process.exit();
}

let runner = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    // Stopped from outside: the test runner (and the browsers it started) and the server go too.
    runner?.kill('SIGTERM');
    await server.stop();
    process.exit(130);
  });
}

const files = (await readdir(here)).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
console.log(`e2e: ${files.length} test files against ${server.url}`);
runner = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...process.argv.slice(2), ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    [environment.url]: server.url,
    [environment.user]: server.user.name,
    [environment.password]: server.user.password,
    [environment.analistPassword]: server.analist.password,
  },
});
let output = '';
runner.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
const status = await new Promise((resolve) => runner.on('close', (code) => resolve(code)));
await server.stop();

const passed = count(output, 'pass');
const skipped = count(output, 'skipped') + count(output, 'todo');
let failed = count(output, 'fail') + count(output, 'cancelled');
if (status !== 0 && failed === 0) {
  failed = 1; // the runner failed without naming a failed test (a crash, a file that did not load): count it.
}

summarise(passed, failed, skipped);
