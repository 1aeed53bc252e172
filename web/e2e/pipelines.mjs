// The WebGL programs and pipeline states one cold first view of #/kaart draws with, per style layer: what SwiftShader
// (software WebGL; the machines the platform is measured on have no GPU) must build for the first time in that frame.
//
//   node web/e2e/pipelines.mjs --url http://127.0.0.1:8080 [--route '#/kaart'] [--browser-settle 2000]
//
// The first frame of a view costs the GPU process ~0.75 s of CPU, the same frame drawn again ~20 ms (docs/benchmarks.md
// web-firstview12): the cost is building each distinct shader program and pipeline once (ANGLE translates and links a
// program; SwiftShader JIT-compiles routines per program and fixed-function state). This probe counts them. An init
// script wraps the page's WebGL2 context (its prototype, before the page's scripts run) and records, for every draw
// call until #kaart has data-ready="true":
//  * the program: linked programs are told apart by their shaders' source text (MapLibre compiles a program per cache
//    key, and two keys can give one source), named after MapLibre's program cache key (`painter.programCache`);
//  * the pipeline state the draw needs: blend, colour mask, depth test, function and mask, stencil test, functions,
//    operations and masks, face culling, the vertex attributes' formats (size, type, normalised, stride) of the bound
//    vertex array, the primitive, and whether it draws into the canvas or a framebuffer — the state a Vulkan pipeline
//    (ANGLE's backend over SwiftShader) is made of; reference values, viewport and depth range are dynamic and left out;
//  * the style layer drawing it (MapLibre's `painter.renderLayer`, wrapped once `window.tweeling` is set, which
//    web/src/kaart.ts does before the map's first frame can draw), or MapLibre's tile clipping masks.
// It prints, per program, the layers that use it and its distinct pipeline states, and the totals: programs linked,
// shaders compiled, distinct pipelines. It is a probe, not a test, and it needs a running server (`--url`).
import { parseArgs } from 'node:util';
import { openBrowser } from './harness/browser.mjs';

const { values: options } = parseArgs({ options: { url: { type: 'string' }, route: { type: 'string', default: '#/kaart' }, 'browser-settle': { type: 'string', default: '2000' } } });
if (!options.url) {
  console.error('pipelines: --url URL of a running tweeling serve is required.');
  process.exit(2);
}

/** The page's first view is not in after this long: a failure (bench.mjs's bound). */
const firstViewTimeoutMs = 180_000;

/** Runs in the page before its scripts: wraps WebGL2 and records every program, shader compile and draw. */
function recordWebGl() {
  const gl2 = WebGL2RenderingContext.prototype;
  const record = { draws: [], links: [], compiles: 0, ready: null, unattributed: 0 };
  window.pipelineProbe = record;
  const sources = new WeakMap();
  const attached = new WeakMap();
  const programSource = new WeakMap();
  const state = {
    caps: { BLEND: false, DEPTH_TEST: false, STENCIL_TEST: false, CULL_FACE: false },
    blend: 'ONE,ZERO,ONE,ZERO', equation: 'FUNC_ADD,FUNC_ADD', colorMask: '1111', depthFunc: 'LESS', depthMask: true,
    stencilFunc: 'ALWAYS/ff', stencilOp: 'KEEP,KEEP,KEEP', stencilMask: 'ff', cullFace: 'BACK', frontFace: 'CCW',
    program: null, framebuffer: null, vertexArray: null,
  };
  const vertexArrays = new Map([[null, new Map()]]);
  const attributes = () => {
    let attributesOf = vertexArrays.get(state.vertexArray);
    if (!attributesOf) {
      attributesOf = new Map();
      vertexArrays.set(state.vertexArray, attributesOf);
    }
    return attributesOf;
  };
  // The names of the enums that describe a pipeline (several GL enums share a value: ONE and LINES are both 1).
  const enumNames = new Map();
  for (const name of ['ZERO', 'ONE', 'SRC_COLOR', 'ONE_MINUS_SRC_COLOR', 'SRC_ALPHA', 'ONE_MINUS_SRC_ALPHA', 'DST_ALPHA', 'ONE_MINUS_DST_ALPHA',
    'DST_COLOR', 'ONE_MINUS_DST_COLOR', 'CONSTANT_COLOR', 'FUNC_ADD', 'NEVER', 'LESS', 'EQUAL', 'LEQUAL', 'GREATER', 'NOTEQUAL', 'GEQUAL', 'ALWAYS',
    'KEEP', 'REPLACE', 'INCR', 'DECR', 'INVERT', 'FRONT', 'BACK', 'FRONT_AND_BACK', 'CW', 'CCW', 'BLEND', 'DEPTH_TEST', 'STENCIL_TEST', 'CULL_FACE',
    'FLOAT', 'UNSIGNED_BYTE', 'BYTE', 'SHORT', 'UNSIGNED_SHORT', 'INT', 'UNSIGNED_INT', 'HALF_FLOAT']) {
    enumNames.set(`${WebGL2RenderingContext[name]}`, enumNames.get(`${WebGL2RenderingContext[name]}`) ?? name);
  }
  const primitives = ['POINTS', 'LINES', 'LINE_LOOP', 'LINE_STRIP', 'TRIANGLES', 'TRIANGLE_STRIP', 'TRIANGLE_FAN'];
  const enumName = (value) => enumNames.get(`${value}`) ?? String(value);
  let layer = null;
  let frame = 0;
  const wrap = (name, after) => {
    const original = gl2[name];
    gl2[name] = function (...args) {
      const result = original.apply(this, args);
      after.call(this, args, result);
      return result;
    };
  };
  wrap('shaderSource', ([shader, source]) => sources.set(shader, source));
  wrap('compileShader', () => { record.compiles++; });
  wrap('attachShader', ([program, shader]) => {
    const list = attached.get(program) ?? [];
    list.push(shader);
    attached.set(program, list);
  });
  wrap('linkProgram', ([program]) => {
    const source = (attached.get(program) ?? []).map((s) => sources.get(s) ?? '').join('\n//--\n');
    programSource.set(program, source);
    record.links.push({ frame, layer, source, at: performance.now() });
  });
  wrap('enable', ([cap]) => { const name = enumName(cap); if (name in state.caps) state.caps[name] = true; });
  wrap('disable', ([cap]) => { const name = enumName(cap); if (name in state.caps) state.caps[name] = false; });
  wrap('blendFunc', ([s, d]) => { state.blend = [s, d, s, d].map(enumName).join(','); });
  wrap('blendFuncSeparate', (args) => { state.blend = args.map(enumName).join(','); });
  wrap('blendEquation', ([e]) => { state.equation = [e, e].map(enumName).join(','); });
  wrap('blendEquationSeparate', (args) => { state.equation = args.map(enumName).join(','); });
  wrap('colorMask', (args) => { state.colorMask = args.map((v) => (v ? 1 : 0)).join(''); });
  wrap('depthFunc', ([f]) => { state.depthFunc = enumName(f); });
  wrap('depthMask', ([m]) => { state.depthMask = Boolean(m); });
  wrap('stencilFunc', ([f, , mask]) => { state.stencilFunc = `${enumName(f)}/${(mask >>> 0).toString(16)}`; });
  wrap('stencilOp', (args) => { state.stencilOp = args.map(enumName).join(','); });
  wrap('stencilMask', ([m]) => { state.stencilMask = (m >>> 0).toString(16); });
  wrap('cullFace', ([m]) => { state.cullFace = enumName(m); });
  wrap('frontFace', ([m]) => { state.frontFace = enumName(m); });
  wrap('useProgram', ([p]) => { state.program = p; });
  wrap('bindFramebuffer', ([target, fb]) => { if (target !== gl2.READ_FRAMEBUFFER) state.framebuffer = fb; });
  wrap('bindVertexArray', ([vao]) => { state.vertexArray = vao; });
  wrap('enableVertexAttribArray', ([i]) => { const a = attributes(); a.set(i, { ...(a.get(i) ?? {}), enabled: true }); });
  wrap('disableVertexAttribArray', ([i]) => { const a = attributes(); a.set(i, { ...(a.get(i) ?? {}), enabled: false }); });
  wrap('vertexAttribPointer', ([i, size, type, normalized, stride]) => {
    const a = attributes();
    a.set(i, { ...(a.get(i) ?? {}), format: `${size}x${enumName(type)}${normalized ? 'n' : ''}/${stride}` });
  });
  wrap('vertexAttribIPointer', ([i, size, type, stride]) => {
    const a = attributes();
    a.set(i, { ...(a.get(i) ?? {}), format: `${size}x${enumName(type)}i/${stride}` });
  });
  const draw = (mode) => {
    if (record.ready !== null) return;
    const c = state.caps;
    const layout = [...attributes()].filter(([, a]) => a.enabled).sort((a, b) => a[0] - b[0]).map(([i, a]) => `${i}:${a.format}`).join(' ');
    const pipeline = [
      primitives[mode] ?? String(mode),
      state.framebuffer ? 'framebuffer' : 'canvas',
      c.BLEND ? `blend ${state.blend} ${state.equation}` : 'no blend',
      `colour ${state.colorMask}`,
      // Without the depth test nothing is written to depth whatever the mask (and ANGLE's pipeline ignores it then).
      c.DEPTH_TEST ? `depth ${state.depthFunc}${state.depthMask ? ' write' : ''}` : 'no depth',
      c.STENCIL_TEST ? `stencil ${state.stencilFunc} ${state.stencilOp} write ${state.stencilMask}` : 'no stencil',
      c.CULL_FACE ? `cull ${state.cullFace} ${state.frontFace}` : 'no cull',
      `vertex ${layout}`,
    ].join('; ');
    if (layer === null) record.unattributed++;
    record.draws.push({ frame, layer, program: state.program, pipeline });
  };
  wrap('drawElements', ([mode]) => draw(mode));
  wrap('drawArrays', ([mode]) => draw(mode));
  wrap('drawElementsInstanced', ([mode]) => draw(mode));
  wrap('drawArraysInstanced', ([mode]) => draw(mode));
  wrap('drawRangeElements', ([mode]) => draw(mode));

  // The map view sets window.tweeling (with its map) before the map's first frame can draw: the style layer of each
  // draw is known from then on.
  let tweeling;
  Object.defineProperty(window, 'tweeling', {
    configurable: true,
    get: () => tweeling,
    set(value) {
      tweeling = value;
      const map = value?.map;
      if (!map || map.pipelineProbe) return;
      map.pipelineProbe = true;
      const painter = map.painter;
      const renderLayer = painter.renderLayer;
      painter.renderLayer = function (p, tileManager, styleLayer, ...rest) {
        const outer = layer;
        layer = styleLayer.id;
        try {
          return renderLayer.call(this, p, tileManager, styleLayer, ...rest);
        } finally {
          layer = outer;
        }
      };
      map.on('render', () => { frame++; });
    },
  });
  new MutationObserver(() => {
    if (record.ready === null && document.querySelector('#kaart')?.dataset.ready === 'true') {
      record.ready = performance.now();
      // Names for the programs: MapLibre's program cache key of each (several keys can share one source).
      const names = new Map();
      for (const [key, program] of Object.entries(window.tweeling?.map?.painter?.programCache?.programs ?? {})) {
        const source = programSource.get(program.program);
        names.set(source, [...(names.get(source) ?? []), key]);
      }
      record.named = names;
      record.sourceOf = programSource;
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
}

const browser = await openBrowser();
try {
  const { page } = browser;
  await page.goto('about:blank');
  await new Promise((resolve) => setTimeout(resolve, Number(options['browser-settle'])));
  await page.addInitScript(recordWebGl);
  await page.goto(`${options.url}/${options.route}`);
  await page.waitForFunction(() => window.pipelineProbe?.ready != null, null, { polling: 'raf', timeout: firstViewTimeoutMs });
  const summary = await page.evaluate(() => {
    const record = window.pipelineProbe;
    const hashes = new Map();
    const idOf = (source) => {
      if (!hashes.has(source)) hashes.set(source, `P${hashes.size + 1}`);
      return hashes.get(source);
    };
    const nameOf = (source) => (record.named.get(source) ?? ['(not in MapLibre\'s program cache)']).join(' | ');
    const programs = new Map();
    for (const link of record.links) {
      const id = idOf(link.source);
      const entry = programs.get(id) ?? { id, name: nameOf(link.source), links: 0, layers: new Set(), pipelines: new Set(), draws: 0, frames: new Set() };
      entry.links++;
      programs.set(id, entry);
    }
    const pipelines = new Set();
    const byLayer = new Map();
    for (const d of record.draws) {
      const source = record.sourceOf.get(d.program) ?? '';
      const id = idOf(source);
      const entry = programs.get(id) ?? { id, name: nameOf(source), links: 0, layers: new Set(), pipelines: new Set(), draws: 0, frames: new Set() };
      const layer = d.layer ?? (entry.name.startsWith('clippingMask') ? '(tile clipping masks)' : '(outside a layer)');
      entry.layers.add(layer);
      entry.pipelines.add(d.pipeline);
      entry.draws++;
      entry.frames.add(d.frame);
      programs.set(id, entry);
      pipelines.add(`${id}; ${d.pipeline}`);
      const perLayer = byLayer.get(layer) ?? new Set();
      perLayer.add(`${id}; ${d.pipeline}`);
      byLayer.set(layer, perLayer);
    }
    return {
      compiles: record.compiles,
      links: record.links.length,
      distinctSources: new Set(record.links.map((l) => l.source)).size,
      draws: record.draws.length,
      frames: [...new Set(record.draws.map((d) => d.frame))],
      pipelines: [...pipelines],
      programs: [...programs.values()].map((p) => ({ ...p, layers: [...p.layers], pipelines: [...p.pipelines], frames: [...p.frames] })),
      byLayer: [...byLayer].map(([layer, set]) => ({ layer, pipelines: [...set] })),
    };
  });
  console.log(`${options.route}: until data-ready ${summary.compiles} shaders compiled, ${summary.links} programs linked (${summary.distinctSources} distinct sources), ${summary.draws} draw calls in frame(s) ${summary.frames.join(', ')}, **${summary.pipelines.length} distinct pipelines** (program × state × vertex formats)`);
  console.log('\n| program | MapLibre cache key(s) | layers | draws | distinct pipeline states |');
  console.log('|---|---|---|---|---|');
  for (const p of summary.programs) {
    console.log(`| ${p.id} | \`${p.name}\` | ${p.layers.join(', ') || '(none)'} | ${p.draws} | ${p.pipelines.length} |`);
  }
  console.log('\n| layer | pipelines (program; primitive; target; blend; colour mask; depth; stencil; culling; vertex formats) |');
  console.log('|---|---|');
  for (const { layer, pipelines } of summary.byLayer) {
    console.log(`| ${layer} | ${pipelines.map((p) => `\`${p}\``).join('<br>')} |`);
  }
} finally {
  await browser.close();
}
