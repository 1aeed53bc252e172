// CPU time per browser thread during one cold first view of #/kaart, from a Chrome trace: a measure that holds on the
// shared two-core machine, where the wall clock of the first view mostly measures the other sessions' load.
//
//   node web/e2e/trace-cpu.mjs --url http://127.0.0.1:8080 [--runs 1] [--names] [--browser-settle 2000] [--route '#/kaart?lagen=panden']
//
// Each run starts a new Chromium with a fresh profile (as web/e2e/bench.mjs does), traces the page until #kaart has
// data-ready="true", and prints per thread (process/thread, threads of one name summed: MapLibre's workers are all
// "DedicatedWorker thread") the CPU time of its tasks (DevTools' `RunTask` events, thread time `tdur`) in the windows
// between the UI's User Timing marks (`tweeling:*`, web/src/main.ts, kaart.ts, twinmap.ts). Threads under 30 ms are left
// out. A second table splits each thread's CPU time into phases by what the trace says ran (self time of each traced
// event, so a script's compile inside its run counts as compile): parse and compile of scripts, V8's optimising JIT (on
// its background threads), running scripts, garbage collection, style, layout, paint and compositing, the rest (the
// task's own bookkeeping, IPC, WebGL command handling). Last, every Chromium process's CPU by type from /proc, all its
// threads: the GPU process's SwiftShader threads record no trace events and are most of that process's CPU.
// The /proc figures are also split at data-ready: what the next frame costs (the drawn view's WebGL commands run by
// SwiftShader, which the canvas's read-back for the software compositor waits for), and, for comparison, the CPU of
// drawing the same view once more 3 s later.
// `--route` opens another state of the map view (e.g. fewer layers, to see what each costs); it must reach data-ready.
// `--names` also lists, per thread, the trace events with the most self time (what the phases are made of).
// It needs a running server (`--url`); it starts none.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openBrowser } from './harness/browser.mjs';

const { values: options } = parseArgs({ options: { url: { type: 'string' }, runs: { type: 'string', default: '1' }, names: { type: 'boolean', default: false }, 'browser-settle': { type: 'string', default: '2000' }, route: { type: 'string', default: '#/kaart' } } });
if (!options.url || !Number.isInteger(Number(options.runs)) || Number(options.runs) < 1) {
  console.error('trace-cpu: --url URL of a running tweeling serve is required; --runs must be a whole number ≥ 1.');
  process.exit(2);
}

/** The page's first view is not in after this long: a failure, not a sample (bench.mjs's bound). */
const firstViewTimeoutMs = 180_000;

/** How long the page stays idle after its first view before the view is drawn again (ms): the secondary layers' tiles come in meanwhile. */
const redrawSettleMs = 3_000;

/** DevTools' task events (thread time included), the UI's marks, and the names of processes and threads. */
const categories = ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'blink.user_timing', '__metadata', 'v8', 'disabled-by-default-v8.compile', 'v8.execute'];

/**
 * The phase of a traced event, by its name (Chromium's trace event names as DevTools' performance panel reads them);
 * `null` for events that only group others (their self time goes to "other").
 */
function phaseOf(name) {
  if (/^(V8\.Optimize|V8\.Maglev|V8\.Turbofan|V8\.TurboFan|V8\.InstallOptimizedFunctions|V8\.ConcurrentBaseline|V8\.FinalizeMaglev)/.test(name)) return 'optimising JIT';
  if (/^(v8\.compile|BackgroundCompileTask|V8\.CompileCodeBackground|V8\.PreParse|V8\.ParseProgram|V8\.ParseFunction|V8\.CompileIgnition|V8\.CompileScript|v8\.streamingCompile|v8\.compileModule|V8\.CompileCode|V8\.CompileLazy|v8\.parseOnBackground|v8\.produceCache|v8\.deserializeOnBackground|v8\.compileOnBackground|V8\.ScriptCompiler|v8\.wasm\.|ParseHTML|ParseAuthorStyleSheet)/.test(name)) return 'parse, compile';
  if (/^(MajorGC|MinorGC|V8\.GC|BlinkGC|ThreadState|CppGC|v8\.gc)/.test(name)) return 'GC';
  if (/^(UpdateLayoutTree|RecalcStyle|ScheduleStyleRecalculation)/.test(name)) return 'style';
  if (/^(Layout|UpdateLayerTree|PrePaint|HitTest|IntersectionObserverController)/.test(name)) return 'layout';
  if (/^(Paint|PaintImage|CompositeLayers|Layerize|Commit|RasterTask|Decode|ImageDecodeTask|Rasterize|UpdateLayer)/.test(name)) return 'paint, composite';
  if (/^(FunctionCall|EvaluateScript|v8\.evaluateModule|v8\.run|V8\.Execute|v8\.callFunction|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|XHRReadyStateChange|FireIdleCallback|v8\.callModuleMethod|ResourceReceivedData)/.test(name)) return 'script';
  return null;
}
const phases = ['parse, compile', 'optimising JIT', 'script', 'GC', 'style', 'layout', 'paint, composite', 'other'];

/** Clock ticks per second, the unit of the CPU times in /proc/<pid>/stat (proc(5)). */
const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * The CPU ms used so far by the Chromium started with `profile`, per process type (`--type=` of its command line; the
 * browser process has none): user + system time of every thread of the browser and its descendants, from /proc (Linux).
 * Unlike the trace this counts threads that record no trace events, such as SwiftShader's raster threads in the GPU process.
 */
function browserCpuByType(profile) {
  const processes = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split(/[\0 ]/); // Chromium rewrites its children's titles: spaces, not NULs
      // fields[0] is field 3 (state): the parent is field 4, user and system time fields 14 and 15.
      processes.push({ pid: Number(entry), parent: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond, commandLine });
    } catch {
      // The process ended while being read.
    }
  }
  const browser = processes.find((p) => p.commandLine.includes(`--user-data-dir=${profile}`) && !p.commandLine.some((a) => a.startsWith('--type=')));
  const byType = new Map();
  const gpuThreads = new Map();
  const visit = (process) => {
    const type = process.commandLine.find((a) => a.startsWith('--type='))?.slice('--type='.length) ?? 'browser';
    byType.set(type, (byType.get(type) ?? 0) + process.ms);
    if (type === 'gpu-process') {
      for (const [name, ms] of threadCpu(process.pid)) gpuThreads.set(name, (gpuThreads.get(name) ?? 0) + ms);
    }
    processes.filter((p) => p.parent === process.pid).forEach(visit);
  };
  if (browser) visit(browser);
  return { byType, gpuThreads };
}

/**
 * The CPU ms used so far by each thread of process `pid`, summed by thread name (`comm`): in the GPU process this tells
 * the command-buffer thread that translates and compiles WebGL's shaders (CrGpuMain) from SwiftShader's raster workers.
 */
function threadCpu(pid) {
  const byName = new Map();
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond);
    } catch {
      // The thread ended while being read.
    }
  }
  return byName;
}

/** `after` less `before`, per key. */
function difference(after, before) {
  return new Map([...after].map(([key, ms]) => [key, ms - (before.get(key) ?? 0)]));
}

async function traceOnce(url) {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    // As web/e2e/bench.mjs: a user's browser runs before they open the twin, so Chromium's own start-up work is not traced.
    await page.goto('about:blank');
    await new Promise((resolve) => setTimeout(resolve, Number(options['browser-settle'])));
    const cdp = await page.context().newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (chunk) => events.push(...chunk.value));
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' } });
    // The moment #kaart gets data-ready, read from /proc while the page's task that set it still runs: that frame's
    // commit then waits (the canvas's read-back for the software compositor) until SwiftShader has drawn the view.
    let cpuAtReady = null;
    await page.exposeFunction('traceCpuDataReady', () => {
      cpuAtReady ??= browserCpuByType(browser.profile);
    });
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.querySelector('#kaart')?.dataset.ready === 'true') void window.traceCpuDataReady();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    const cpuBefore = browserCpuByType(browser.profile);
    await page.goto(`${url}/${options.route}`);
    // Polled every animation frame, as bench.mjs does: the first frame after data-ready runs once the frame that drew the
    // view has been committed.
    await page.waitForFunction(() => document.querySelector('#kaart')?.dataset.ready === 'true', null, { polling: 'raf', timeout: firstViewTimeoutMs });
    const cpuAfter = browserCpuByType(browser.profile);
    await cdp.send('Tracing.end');
    await complete;
    // The same view drawn once more, the page otherwise idle (after the secondary layers came in): what a frame of it
    // costs once every shader and pipeline exists, against the first one.
    await new Promise((resolve) => setTimeout(resolve, redrawSettleMs));
    const cpuBeforeRedraw = browserCpuByType(browser.profile);
    await page.evaluate(() => new Promise((resolve) => {
      const map = window.tweeling.map;
      map.once('render', () => {
        map.painter.context.gl.finish();
        resolve();
      });
      map.triggerRepaint();
    }));
    const cpuAfterRedraw = browserCpuByType(browser.profile);
    return {
      events,
      processCpu: difference(cpuAfter.byType, cpuBefore.byType),
      gpuThreadCpu: difference(cpuAfter.gpuThreads, cpuBefore.gpuThreads),
      drawnFrame: cpuAtReady && { processCpu: difference(cpuAfter.byType, cpuAtReady.byType), gpuThreadCpu: difference(cpuAfter.gpuThreads, cpuAtReady.gpuThreads) },
      redraw: { processCpu: difference(cpuAfterRedraw.byType, cpuBeforeRedraw.byType), gpuThreadCpu: difference(cpuAfterRedraw.gpuThreads, cpuBeforeRedraw.gpuThreads) },
    };
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
  return { windows: windows.map((w) => ({ name: w.name, ms: Math.round((w.ts - navigation) / 1000) })), rows, byPhase: cpuByPhase(events, navigation, threads, processes) };
}

/**
 * Per thread name, the CPU ms of each phase from navigation to the end of the trace: every complete event with a thread
 * time nests in its thread's tasks, and its self time (its thread time less that of the events inside it) counts for
 * the phase of the innermost event that has one ({@link phaseOf}); what no event claims is "other".
 */
function cpuByPhase(events, navigation, threads, processes) {
  const perThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined || e.ts < navigation) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = perThread.get(key) ?? [];
    list.push(e);
    perThread.set(key, list);
  }
  const rows = new Map();
  for (const [key, list] of perThread) {
    // Outer events first: by start, then the longer one.
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const self = new Array(phases.length).fill(0);
    const byName = new Map();
    const stack = [];
    const close = (until) => {
      while (stack.length > 0 && stack.at(-1).end <= until) {
        const done = stack.pop();
        const ms = Math.max(0, done.tdur - done.childTdur) / 1000;
        self[phases.indexOf(done.phase)] += ms;
        byName.set(done.name, (byName.get(done.name) ?? 0) + ms);
      }
    };
    for (const e of list) {
      close(e.ts);
      const parent = stack.at(-1);
      if (parent) parent.childTdur += e.tdur;
      stack.push({ name: e.name, end: e.ts + (e.dur ?? 0), tdur: e.tdur, childTdur: 0, phase: phaseOf(e.name) ?? parent?.phase ?? 'other' });
    }
    close(Infinity);
    const [pid] = key.split(':');
    const name = `${processes.get(Number(pid)) ?? pid}/${threads.get(key) ?? key.split(':')[1]}`;
    const row = rows.get(name) ?? { phases: new Array(phases.length).fill(0), names: new Map() };
    self.forEach((ms, i) => { row.phases[i] += ms; });
    for (const [event, ms] of byName) row.names.set(event, (row.names.get(event) ?? 0) + ms);
    rows.set(name, row);
  }
  return rows;
}

/**
 * How many animation frames ran callbacks on the page's main thread from navigation to the `data-ready` mark, and their
 * CPU ms: MapLibre draws the map in such a callback, and in software WebGL every drawn frame costs the GPU process its
 * raster, read-back and compositing.
 */
function animationFrames(events) {
  const navigation = events.find((e) => e.name === 'navigationStart')?.ts ?? 0;
  const ready = events.find((e) => e.cat?.includes('blink.user_timing') && e.name === 'tweeling:data-ready')?.ts ?? Infinity;
  const frames = events.filter((e) => e.ph === 'X' && e.name === 'FireAnimationFrame' && e.ts >= navigation && e.ts <= ready);
  const ms = frames.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
  return `${frames.length} (${Math.round(ms)} ms of main-thread CPU)`;
}

for (let run = 1; run <= Number(options.runs); run++) {
  const { events, processCpu, gpuThreadCpu, drawnFrame, redraw } = await traceOnce(options.url);
  const { windows, rows, byPhase } = cpuByWindow(events);
  const total = (row) => row.reduce((a, b) => a + b, 0);
  console.log(`\nrun ${run}: marks ${windows.map((w) => `${w.name} ${w.ms} ms`).join(', ')}`);
  console.log(`animation frames until data-ready (the page's requestAnimationFrame callbacks; MapLibre draws in them): ${animationFrames(events)}`);
  console.log(`| thread | ${windows.map((w) => `from ${w.name}`).join(' | ')} | total CPU ms |`);
  console.log(`|---|${windows.map(() => '---|').join('')}---|`);
  for (const [thread, row] of [...rows].filter(([, row]) => total(row) >= 30).sort((a, b) => total(b[1]) - total(a[1]))) {
    console.log(`| ${thread} | ${row.map((ms) => Math.round(ms)).join(' | ')} | ${Math.round(total(row))} |`);
  }
  console.log(`\n| thread | ${phases.join(' | ')} | total CPU ms |`);
  console.log(`|---|${phases.map(() => '---|').join('')}---|`);
  const threadsByPhase = [...byPhase].filter(([, row]) => total(row.phases) >= 30).sort((a, b) => total(b[1].phases) - total(a[1].phases));
  for (const [thread, row] of threadsByPhase) {
    console.log(`| ${thread} | ${row.phases.map((ms) => Math.round(ms)).join(' | ')} | ${Math.round(total(row.phases))} |`);
  }
  const byProcess = new Map();
  for (const [thread, row] of byPhase) {
    const process = thread.split('/')[0];
    byProcess.set(process, (byProcess.get(process) ?? 0) + total(row.phases));
  }
  console.log(`\nCPU ms by process: ${[...byProcess].sort((a, b) => b[1] - a[1]).map(([process, ms]) => `${process} ${Math.round(ms)}`).join(', ')}; all ${Math.round(total([...byProcess.values()]))}`);
  console.log(`CPU ms by process type, every thread (/proc), navigation to data-ready: ${[...processCpu].sort((a, b) => b[1] - a[1]).map(([type, ms]) => `${type} ${Math.round(ms)}`).join(', ')}; all ${Math.round(total([...processCpu.values()]))}`);
  console.log(`GPU process CPU ms by thread name (/proc): ${[...gpuThreadCpu].filter(([, ms]) => ms >= 10).sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ')}`);
  const listed = (cpu) => `${[...cpu].filter(([, ms]) => ms >= 10).sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ')}`;
  if (drawnFrame) {
    console.log(`of which from data-ready to the next frame (the view drawn and read back): ${listed(drawnFrame.processCpu)}; GPU process by thread: ${listed(drawnFrame.gpuThreadCpu)}`);
  }
  console.log(`the same view drawn again ${redrawSettleMs / 1000} s later (one frame, gl.finish): ${listed(redraw.processCpu)}; GPU process by thread: ${listed(redraw.gpuThreadCpu)}`);
  if (options.names) {
    for (const [thread, row] of threadsByPhase) {
      const top = [...row.names].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([event, ms]) => `${event} ${Math.round(ms)}`);
      console.log(`\n${thread}, self CPU ms by event: ${top.join(', ')}`);
    }
  }
}
