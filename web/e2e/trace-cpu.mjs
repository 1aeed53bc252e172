// CPU time per browser thread during one cold first view of #/kaart, from a Chrome trace: a measure that holds on the
// shared two-core machine, where the wall clock of the first view mostly measures the other sessions' load.
//
//   node web/e2e/trace-cpu.mjs --url http://127.0.0.1:8080 [--runs 1]
//
// Each run starts a new Chromium with a fresh profile (as web/e2e/bench.mjs does), traces the page until #kaart has
// data-ready="true", and prints per thread (process/thread, threads of one name summed: MapLibre's workers are all
// "DedicatedWorker thread") the CPU time of its tasks (DevTools' `RunTask` events, thread time `tdur`) in the windows
// between the UI's User Timing marks (`tweeling:*`, web/src/main.ts, kaart.ts, twinmap.ts). Threads under 30 ms are left
// out. It needs a running server (`--url`); it starts none.
import { parseArgs } from 'node:util';
import { openBrowser } from './harness/browser.mjs';

const { values: options } = parseArgs({ options: { url: { type: 'string' }, runs: { type: 'string', default: '1' } } });
if (!options.url || !Number.isInteger(Number(options.runs)) || Number(options.runs) < 1) {
  console.error('trace-cpu: --url URL of a running tweeling serve is required; --runs must be a whole number ≥ 1.');
  process.exit(2);
}

/** The page's first view is not in after this long: a failure, not a sample (bench.mjs's bound). */
const firstViewTimeoutMs = 180_000;

/** DevTools' task events (thread time included), the UI's marks, and the names of processes and threads. */
const categories = ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'blink.user_timing', '__metadata'];

async function traceOnce(url) {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (chunk) => events.push(...chunk.value));
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' } });
    await page.goto(`${url}/#/kaart`);
    await page.waitForFunction(() => document.querySelector('#kaart')?.dataset.ready === 'true', null, { timeout: firstViewTimeoutMs });
    await cdp.send('Tracing.end');
    await complete;
    return events;
  } finally {
    await browser.close();
  }
}

/** Per thread name, the CPU ms of its tasks in each window between consecutive marks (the first from navigation). */
function cpuByWindow(events) {
  const threads = new Map();
  const processes = new Map();
  for (const e of events.filter((e) => e.ph === 'M')) {
    if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.name === 'process_name') processes.set(e.pid, e.args.name);
  }
  const marks = events
    .filter((e) => e.cat?.includes('blink.user_timing') && e.name.startsWith('tweeling:'))
    .map((e) => ({ name: e.name.slice('tweeling:'.length), ts: e.ts }))
    .sort((a, b) => a.ts - b.ts);
  const navigation = events.find((e) => e.name === 'navigationStart')?.ts ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const windows = [{ name: 'navigation', ts: navigation }, ...marks];
  const rows = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || e.cat !== 'disabled-by-default-devtools.timeline' || !e.tdur || e.ts < navigation) continue;
    const key = `${processes.get(e.pid) ?? e.pid}/${threads.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
    const row = rows.get(key) ?? new Array(windows.length).fill(0);
    let i = windows.length - 1;
    while (i > 0 && e.ts < windows[i].ts) i--;
    row[i] += e.tdur / 1000;
    rows.set(key, row);
  }
  return { windows: windows.map((w) => ({ name: w.name, ms: Math.round((w.ts - navigation) / 1000) })), rows };
}

for (let run = 1; run <= Number(options.runs); run++) {
  const { windows, rows } = cpuByWindow(await traceOnce(options.url));
  const total = (row) => row.reduce((a, b) => a + b, 0);
  console.log(`\nrun ${run}: marks ${windows.map((w) => `${w.name} ${w.ms} ms`).join(', ')}`);
  console.log(`| thread | ${windows.map((w) => `from ${w.name}`).join(' | ')} | total CPU ms |`);
  console.log(`|---|${windows.map(() => '---|').join('')}---|`);
  for (const [thread, row] of [...rows].filter(([, row]) => total(row) >= 30).sort((a, b) => total(b[1]) - total(a[1]))) {
    console.log(`| ${thread} | ${row.map((ms) => Math.round(ms)).join(' | ')} | ${Math.round(total(row))} |`);
  }
}
