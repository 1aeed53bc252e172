import type { Map as MapLibreMap } from 'maplibre-gl';
import { ProblemError, problemOf } from '../api';
import type { App } from '../app';
import { announce, h, replaceChildren } from '../dom';
import { formatDate, formatNumber } from '../i18n';
import { paintSwatches } from '../legend';
import type { View } from '../router';
import type { WebConfig } from '../twinmap';
import { ResultsMap, synchroniseViews, type ResultGrid, type ResultsGeoJson } from './results-map';
import { resultsMessages, rt, type ResultsKey } from './results-messages';
import {
  defaultIndicator,
  deltaClassOf,
  divergingClasses,
  formatResultsHash,
  formatVersionRef,
  groupByDomain,
  parseResultsHash,
  resultsRoute,
  type DeltaClass,
  type ImpactMatrix,
  type MapView,
  type ResultIndicator,
  type ResultsState,
  type VersionRef,
} from './results-model';
import './results.css';

/** A scenario version as `/api/v1/scenarios` and the results' `scenario` member describe it. */
interface ScenarioSummary {
  readonly id: number;
  readonly versie: number;
  readonly naam: string;
  readonly peildatum: string;
}

/** `…/resultaten?formaat=geojson`: the buurten with every indicator's values, and the run's identity. */
type RunGeoJson = ResultsGeoJson & { readonly scenario: ScenarioSummary; readonly indicatoren: readonly ResultIndicator[] };

interface Comparison {
  readonly indicatoren: readonly ResultIndicator[];
  readonly waarden: readonly {
    readonly indicator: string;
    readonly gebied: string;
    readonly basis: number | null;
    readonly a: number | null;
    readonly b: number | null;
    readonly deltaA: number | null;
    readonly deltaB: number | null;
    readonly verschilBA: number | null;
  }[];
}

/** What one shown state needs from the platform. */
interface Loaded {
  readonly a: RunGeoJson;
  readonly impact: ImpactMatrix;
  readonly b?: RunGeoJson;
  readonly comparison?: Comparison;
  /** Why the comparison is missing (e.g. another reference date), when it is. */
  readonly comparisonProblem?: string;
}

/** The test and benchmark hook of this view (as `window.tweeling` is the map's): the maps shown, A first. */
interface ResultsHook {
  readonly maps: readonly MapLibreMap[];
}

declare global {
  interface Window {
    tweelingResultaat?: ResultsHook;
  }
}

/** The colour of a buurt without a value (as the twin map's no-data colour). */
const noValueColour = '#bdbdbd';

const versionPath = (ref: VersionRef) => `/api/v1/scenarios/${ref.id}/versies/${ref.versie}`;

/** The results view at `#/scenarios/resultaat`: delta maps per domain, legend, buurt panel, table, impact matrix, comparison, share link. */
export function scenarioResultsView(config: WebConfig): View {
  let shown: ((state: ResultsState) => void) | null = null;
  return {
    route: resultsRoute,
    titleKey: 'nav.scenarioresultaat',
    render(container: HTMLElement, app: App) {
      shown = mountResults(container, app, config);
    },
    shown() {
      shown?.(parseResultsHash(location.hash));
    },
  };
}

function mountResults(container: HTMLElement, app: App, config: WebConfig): (state: ResultsState) => void {
  const t = (key: ResultsKey, params?: Record<string, string | number>) => rt(app.language, key, params);
  const heading = h('h1', { class: 'utrecht-heading-1', tabindex: -1 }, t('results.title'));
  const status = h('p', { class: 'resultaat-status', role: 'status' });
  const body = h('div', { class: 'resultaat-inhoud' });
  container.append(heading, status, body);

  let state = parseResultsHash(location.hash);
  let loaded: Loaded | null = null;
  let maps: ResultsMap[] = [];
  let request = 0;
  /** The chosen buurt (panel and outline), kept across indicators. */
  let buurt: string | null = null;
  let repaint: (() => void) | null = null;
  /** Grids by run and indicator (`null`: the indicator has none), fetched once each while the view lives. */
  const grids = new Map<string, Promise<ResultGrid | null>>();
  const gridOf = (run: ScenarioSummary, indicator: string) => {
    const key = `${formatVersionRef(run)}/${indicator}`;
    let grid = grids.get(key);
    if (!grid) {
      // 404: the indicator has no grid (only air quality and heat have one); any other failure leaves the buurt colours alone.
      grid = app.api.find<ResultGrid>(`${versionPath(run)}/resultaten/rasters/${encodeURIComponent(indicator)}`).catch(() => null);
      grids.set(key, grid);
    }
    return grid;
  };

  const number = (value: number | null | undefined, signed = false) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return '—';
    }
    const magnitude = Math.abs(value);
    // Three significant figures or so for values of any size (µg/m³ and inhabitants alike); a small change keeps its
    // first two significant digits (to a millionth), so a change the classes count is not written 0.
    const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : Math.min(6, Math.max(3, 1 - Math.floor(Math.log10(magnitude))));
    // A change that rounds away is written 0, never "-0" or "+0".
    if (magnitude < 0.5 * 10 ** -digits) {
      return '0';
    }
    const text = formatNumber(app.language, value, digits);
    return signed && value > 0 ? `+${text}` : text;
  };

  /** Writes the state into the hash without a history entry (and without a hashchange). */
  const remember = () => {
    // A map can finish moving after the user went to another view: that view's hash is not ours to rewrite.
    if (location.hash.startsWith(resultsRoute)) {
      history.replaceState(null, '', formatResultsHash(state));
    }
  };

  const load = async () => {
    const mine = ++request;
    heading.textContent = t('results.title');
    maps.forEach((m) => m.map.remove());
    maps = [];
    window.tweelingResultaat = { maps: [] };
    loaded = null;
    if (!app.api.signedIn) {
      status.textContent = '';
      const signIn = h('button', { type: 'button', class: 'utrecht-button utrecht-button--secondary-action' }, t('results.signin.button'));
      signIn.addEventListener('click', () => document.getElementById('gebruikersnaam')?.focus());
      replaceChildren(body, h('p', { class: 'resultaat-aanmelden' }, t('results.signin')), signIn);
      return;
    }
    if (!state.scenario) {
      await renderChooser(mine);
      return;
    }
    status.textContent = t('results.loading');
    replaceChildren(body);
    try {
      const a = state.scenario;
      const b = state.compare;
      const [runA, impact, runB, compared] = await Promise.all([
        app.api.get<RunGeoJson>(`${versionPath(a)}/resultaten?formaat=geojson`),
        app.api.get<ImpactMatrix>(`${versionPath(a)}/impactmatrix`),
        b ? app.api.get<RunGeoJson>(`${versionPath(b)}/resultaten?formaat=geojson`) : Promise.resolve(undefined),
        b
          ? app.api
              .get<Comparison>(`/api/v1/scenarios/vergelijking?a=${formatVersionRef(a)}&b=${formatVersionRef(b)}`)
              .then((comparison) => ({ comparison }))
              .catch((error: unknown) => ({ problem: error instanceof ProblemError ? error.message : String(error) }))
          : Promise.resolve(undefined),
      ]);
      if (mine !== request) {
        return;
      }
      loaded = {
        a: runA,
        impact,
        ...(runB ? { b: runB } : {}),
        ...(compared && 'comparison' in compared ? { comparison: compared.comparison } : {}),
        ...(compared && 'problem' in compared ? { comparisonProblem: compared.problem } : {}),
      };
      if (!state.indicator || !runA.indicatoren.some((i) => i.id === state.indicator)) {
        state = { ...state, indicator: defaultIndicator(impact, runA.indicatoren) };
        remember();
      }
      status.textContent = '';
      await renderLoaded(loaded, mine);
    } catch (error) {
      if (mine === request) {
        status.textContent = t('results.failed', { detail: (error as Error).message });
        replaceChildren(body);
      }
    }
  };

  /** Without a scenario in the hash: the scenarios (latest versions) to choose from. */
  const renderChooser = async (mine: number) => {
    status.textContent = t('results.choose');
    const list = await app.api.get<ScenarioSummary[]>('/api/v1/scenarios').catch((error: unknown) => {
      status.textContent = t('results.failed', { detail: (error as Error).message });
      return null;
    });
    if (mine !== request || list === null) {
      return;
    }
    if (list.length === 0) {
      replaceChildren(body, h('p', {}, t('results.choose.none')));
      return;
    }
    replaceChildren(
      body,
      h(
        'table',
        { class: 'utrecht-table resultaat-tabel' },
        h('caption', { class: 'utrecht-table__caption' }, t('results.choose.caption')),
        h('thead', {}, h('tr', {}, [t('results.choose.name'), t('results.choose.version'), t('results.choose.date')].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          list.map((s) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, h('a', { href: formatResultsHash({ scenario: s }), class: 'utrecht-link', 'aria-label': t('results.choose.open', { name: s.naam }) }, s.naam)),
              h('td', {}, s.versie),
              h('td', {}, formatDate(app.language, s.peildatum)),
            ),
          ),
        ),
      ),
    );
  };

  const renderLoaded = async (data: Loaded, mine: number) => {
    maps.forEach((m) => m.map.remove());
    const a = data.a.scenario;
    heading.textContent = `${t('results.title')}: ${t('results.heading', { name: a.naam, version: a.versie })}`;
    const indicators = data.a.indicatoren;
    const indicator = () => indicators.find((i) => i.id === state.indicator) ?? indicators[0]!;

    // Actions: edit, report, share.
    const edit = h('a', { href: `#/scenarios?scenario=${a.id}`, class: 'utrecht-link resultaat-bewerken' }, t('results.edit'));
    const report = h('button', { type: 'button', class: 'utrecht-button utrecht-button--secondary-action', id: 'resultaat-rapport' }, t('results.report'));
    report.addEventListener('click', () => void downloadReport(app, a, t));
    const share = h('button', { type: 'button', class: 'utrecht-button utrecht-button--primary-action', id: 'resultaat-deel' }, t('results.share'));
    const shareField = h('input', { type: 'text', readonly: true, id: 'resultaat-link', class: 'utrecht-textbox', 'aria-describedby': 'resultaat-deel-melding' });
    const shareNote = h('p', { id: 'resultaat-deel-melding', role: 'status' });
    const shareBox = h('div', { class: 'resultaat-deel', hidden: true }, h('label', { for: 'resultaat-link' }, t('results.share.label')), shareField, shareNote);
    share.addEventListener('click', () => {
      // The camera as it is now, also when it has not moved since the view opened (the link then keeps that view).
      if (maps[0]) {
        state = { ...state, view: maps[0].view };
        remember();
      }
      const link = `${location.origin}${location.pathname}${formatResultsHash(state)}`;
      shareField.value = link;
      shareBox.hidden = false;
      shareField.select();
      // The Clipboard API needs a secure context and the page's focus; where it is missing or refused, the selected
      // field is the fallback the note points to.
      const copied = navigator.clipboard ? navigator.clipboard.writeText(link).then(() => true, () => false) : Promise.resolve(false);
      void copied.then((ok) => (shareNote.textContent = t(ok ? 'results.share.copied' : 'results.share.manual')));
    });

    // Comparison choice: the other scenarios' latest versions with the same reference date.
    const compareSelect = h('select', { id: 'resultaat-vergelijk', class: 'utrecht-select' }, h('option', { value: '' }, t('results.compare.none')));
    void app.api
      .get<ScenarioSummary[]>('/api/v1/scenarios')
      .then((list) => {
        const options = list.filter((s) => s.peildatum === a.peildatum && !(s.id === a.id && s.versie === a.versie));
        const chosen = state.compare;
        if (chosen && !options.some((s) => s.id === chosen.id && s.versie === chosen.versie) && data.b) {
          options.unshift(data.b.scenario);
        }
        compareSelect.append(
          ...options.map((s) =>
            h('option', { value: formatVersionRef(s), selected: chosen?.id === s.id && chosen.versie === s.versie }, t('results.compare.option', { name: s.naam, version: s.versie, date: formatDate(app.language, s.peildatum) })),
          ),
        );
      })
      .catch(() => undefined);
    compareSelect.addEventListener('change', () => {
      const [id, versie] = compareSelect.value.split(':').map(Number);
      const { compare: _dropped, ...rest } = state;
      location.hash = formatResultsHash(id && versie ? { ...rest, compare: { id, versie } } : rest);
    });

    // Domain and indicator pickers.
    const groups = groupByDomain(indicators);
    const domainSelect = h(
      'select',
      { id: 'resultaat-domein', class: 'utrecht-select' },
      groups.map(([domain]) => h('option', { value: domain }, domainTitle(domain, app))),
    );
    const indicatorSelect = h('select', { id: 'resultaat-indicator', class: 'utrecht-select' });
    const fillIndicators = () => {
      const domain = indicator().domein;
      domainSelect.value = domain;
      replaceChildren(
        indicatorSelect,
        (groups.find(([d]) => d === domain)?.[1] ?? []).map((i) => h('option', { value: i.id, selected: i.id === state.indicator }, `${i.titel} (${i.eenheid})`)),
      );
    };
    domainSelect.addEventListener('change', () => {
      const first = groups.find(([d]) => d === domainSelect.value)?.[1][0];
      if (first) {
        choose(first.id);
      }
    });
    indicatorSelect.addEventListener('change', () => choose(indicatorSelect.value));

    // Maps, legend, panel, table.
    const mapsBox = h('div', { class: `resultaat-kaarten${data.b ? ' resultaat-kaarten--twee' : ''}`, 'data-ready': 'false' });
    const runs = data.b ? [data.a, data.b] : [data.a];
    const mapElements = runs.map((run, k) => {
      const label = data.b ? t('results.compare.map', { label: k === 0 ? 'A' : 'B', name: run.scenario.naam, version: run.scenario.versie }) : run.scenario.naam;
      const canvas = h('div', { class: 'resultaat-kaart', role: 'region', 'aria-describedby': 'resultaat-kaart-uitleg' });
      mapsBox.append(h('figure', { class: 'resultaat-kaartvak' }, h('figcaption', { class: 'resultaat-kaartnaam' }, label), canvas));
      return canvas;
    });
    const mapNote = h('p', { id: 'resultaat-kaart-uitleg', class: 'resultaat-uitleg' }, t('results.map.description'));
    const legend = h('section', { class: 'resultaat-legenda', id: 'resultaat-legenda', 'aria-labelledby': 'resultaat-legenda-titel' });
    const panel = h('section', { class: 'resultaat-buurt', id: 'resultaat-buurt', 'aria-labelledby': 'resultaat-buurt-titel', 'aria-live': 'polite' });
    const table = h('table', { class: 'utrecht-table resultaat-tabel', id: 'resultaat-tabel' });
    const matrix = h('section', { class: 'resultaat-matrix', id: 'impactmatrix', 'aria-labelledby': 'impactmatrix-titel' });
    const comparison = h('section', { class: 'resultaat-vergelijking', id: 'vergelijking', 'aria-labelledby': 'vergelijking-titel', hidden: !data.b });

    replaceChildren(
      body,
      h('p', { class: 'resultaat-peildatum' }, t('results.asof', { date: formatDate(app.language, a.peildatum) })),
      h('div', { class: 'resultaat-acties' }, edit, report, share),
      shareBox,
      h(
        'div',
        { class: 'resultaat-keuze' },
        h('div', { class: 'resultaat-veld' }, h('label', { for: 'resultaat-domein' }, t('results.domain')), domainSelect),
        h('div', { class: 'resultaat-veld' }, h('label', { for: 'resultaat-indicator' }, t('results.indicator')), indicatorSelect),
        h('div', { class: 'resultaat-veld' }, h('label', { for: 'resultaat-vergelijk' }, t('results.compare')), compareSelect),
      ),
      h('div', { class: 'resultaat-kaartrij' }, mapsBox, h('div', {}, legend, panel)),
      mapNote,
      table,
      comparison,
      matrix,
    );

    renderMatrix(matrix, data.impact, app, t, number);
    if (data.b) {
      renderComparison(comparison, data, app, t, number);
    }

    maps = runs.map((run, k) => new ResultsMap(mapElements[k]!, config, run.scenario.peildatum, run, state.view, app.language, () => app.api.headers()));
    window.tweelingResultaat = { maps: maps.map((m) => m.map) };
    synchroniseViews(maps, (view: MapView) => {
      state = { ...state, view };
      remember();
    });
    for (const map of maps) {
      map.onBuurtClick((code) => showBuurt(code));
    }

    /** The classes of the shown indicator: over both runs' deltas when comparing, so equal colours mean equal changes. */
    const classesOf = (ind: ResultIndicator) => divergingClasses(runs.flatMap((run) => run.features.map((f) => f.properties[`${ind.id}.delta`] as number | null | undefined)), ind.wenselijk);

    const showBuurt = (code: string | null) => {
      buurt = code;
      maps.forEach((m) => m.select(code));
      renderPanel(panel, runs, indicator(), classesOf(indicator()), code, t, number);
    };

    const paint = () => {
      const ind = indicator();
      fillIndicators();
      const classes = classesOf(ind);
      runs.forEach((run, k) => {
        const colours = new Map<string, string>();
        for (const feature of run.features) {
          const cls = deltaClassOf(classes, feature.properties[`${ind.id}.delta`] as number | null | undefined);
          if (cls) {
            colours.set(String(feature.properties['gebied']), cls.colour);
          }
        }
        maps[k]?.colour(colours, noValueColour);
        mapElements[k]!.setAttribute('aria-label', t('results.map.label', { indicator: ind.titel, scenario: run.scenario.naam }));
      });
      renderLegend(legend, ind, classes, runs.length > 1, app, t);
      void showGrids(ind, classes);
      renderTable(table, runs, ind, classes, t, number, (code) => showBuurt(code));
      renderPanel(panel, runs, ind, classes, buurt, t, number);
    };
    repaint = paint;

    /** The indicator's grid on every map, in the buurten's classes (a cell beyond them takes the end class). */
    const showGrids = async (ind: ResultIndicator, classes: readonly DeltaClass[]) => {
      const shown = await Promise.all(runs.map((run) => gridOf(run.scenario, ind.id)));
      if (ind.id !== state.indicator || mine !== request) {
        return;
      }
      runs.forEach((_, k) => maps[k]?.showGrid(shown[k] ?? null, (delta) => {
        const cls = deltaClassOf(classes, delta);
        return cls && cls.judgement !== 'geen' ? cls.colour : null;
      }));
      const grid = shown.find((g) => g);
      const note = legend.querySelector<HTMLElement>('.resultaat-rasternoot');
      if (note) {
        note.hidden = !grid;
        note.textContent = grid ? t('results.grid.note', { size: grid.celgrootte }) : '';
      }
    };

    const choose = (id: string) => {
      state = { ...state, indicator: id };
      remember();
      paint();
      announce(indicator().titel);
    };

    paint();
    await Promise.all(maps.map((m) => m.ready()));
    if (mine !== request) {
      return;
    }
    maps.forEach((m) => m.select(buurt));
    paint();
    mapsBox.dataset['ready'] = 'true';
  };

  /** Follows the hash: another scenario or comparison loads anew; another indicator or view only repaints or moves. */
  const follow = (next: ResultsState) => {
    const same = (x?: VersionRef, y?: VersionRef) => x?.id === y?.id && x?.versie === y?.versie;
    if (!same(next.scenario, state.scenario) || !same(next.compare, state.compare) || !loaded) {
      state = next;
      buurt = null;
      void load();
      return;
    }
    if (next.indicator && next.indicator !== state.indicator) {
      state = { ...state, indicator: next.indicator };
      repaint?.();
    }
    // The section was hidden while another view was shown: the maps measure their containers again.
    maps.forEach((m) => m.map.resize());
    if (next.view) {
      state = { ...state, view: next.view };
      maps[0]?.jumpTo(next.view);
    }
  };

  app.on('role', () => void load());
  app.on('language', () => {
    if (loaded) {
      void renderLoaded(loaded, request);
    } else {
      void load();
    }
  });
  void load();
  return follow;
}

/** A domain's name in the UI's language; a domain the UI has no name for yet is shown by its API name rather than hidden. */
function domainTitle(domain: string, app: App): string {
  const key = `results.domain.${domain}`;
  return key in resultsMessages.nl ? rt(app.language, key as ResultsKey) : domain;
}

type Translate = (key: ResultsKey, params?: Record<string, string | number>) => string;
type NumberText = (value: number | null | undefined, signed?: boolean) => string;

function judgementText(cls: DeltaClass | null, t: Translate): string {
  return cls ? t(`results.judgement.${cls.judgement}` as ResultsKey) : t('results.legend.nodata');
}

function renderLegend(container: HTMLElement, indicator: ResultIndicator, classes: readonly DeltaClass[], twoMaps: boolean, app: App, t: Translate): void {
  const bound = (value: number) => formatNumber(app.language, value, 3);
  const rows = [...classes]
    .reverse()
    .map((c) =>
      h(
        'li',
        {},
        h('span', { class: 'legenda-staal', 'data-kleur': c.colour, 'aria-hidden': 'true' }),
        c.judgement === 'geen' ? t('results.legend.zero') : `${t('results.legend.range', { from: bound(c.from), to: bound(c.to) })} (${judgementText(c, t)})`,
      ),
    );
  rows.push(h('li', {}, h('span', { class: 'legenda-staal', 'data-kleur': noValueColour, 'aria-hidden': 'true' }), t('results.legend.nodata')));
  replaceChildren(
    container,
    h('h2', { class: 'utrecht-heading-2', id: 'resultaat-legenda-titel' }, t('results.legend.title')),
    h('p', { class: 'legenda-naam' }, h('strong', {}, t('results.legend.what', { indicator: indicator.titel }))),
    h(
      'dl',
      { class: 'legenda-bron' },
      h('dt', {}, t('results.legend.unit')),
      h('dd', {}, indicator.eenheid),
      h('dt', {}, t('results.legend.direction')),
      h('dd', {}, t(`results.wenselijk.${indicator.wenselijk}` as ResultsKey)),
      h('dt', {}, t('results.legend.certainty')),
      h('dd', { title: indicator.zekerheidToelichting }, t(`results.certainty.${indicator.zekerheid}` as ResultsKey)),
    ),
    h('ul', { class: 'legenda-klassen' }, rows),
    twoMaps ? h('p', {}, t('results.legend.same')) : null,
    h('p', { class: 'resultaat-rasternoot', hidden: true }),
  );
  paintSwatches(container);
}

/** The values of the chosen buurt in every run shown. */
function renderPanel(container: HTMLElement, runs: readonly RunGeoJson[], indicator: ResultIndicator, classes: readonly DeltaClass[], code: string | null, t: Translate, number: NumberText): void {
  const title = h('h2', { class: 'utrecht-heading-2', id: 'resultaat-buurt-titel' }, t('results.buurt.title'));
  const features = runs.map((run) => run.features.find((f) => f.properties['gebied'] === code));
  if (!code || !features[0]) {
    replaceChildren(container, title, h('p', {}, t('results.buurt.hint')));
    return;
  }
  const name = String(features[0].properties['naam'] ?? code);
  const value = (k: number, part: string) => features[k]?.properties[`${indicator.id}.${part}`] as number | null | undefined;
  const columns = runs.length > 1 ? ['A', 'B'] : [t('results.column.scenario')];
  replaceChildren(
    container,
    title,
    h(
      'table',
      { class: 'utrecht-table resultaat-buurttabel', 'data-gebied': code },
      h('caption', {}, t('results.buurt.caption', { indicator: indicator.titel, buurt: `${name} (${code})`, unit: indicator.eenheid })),
      h('thead', {}, h('tr', {}, h('td', {}), columns.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        h('tr', {}, h('th', { scope: 'row' }, t('results.column.basis')), columns.map((_, k) => h('td', {}, number(value(k, 'basis'))))),
        h('tr', {}, h('th', { scope: 'row' }, t('results.column.scenario')), columns.map((_, k) => h('td', {}, number(value(k, 'scenario'))))),
        h('tr', {}, h('th', { scope: 'row' }, t('results.column.delta')), columns.map((_, k) => h('td', {}, number(value(k, 'delta'), true)))),
        h('tr', {}, h('th', { scope: 'row' }, t('results.column.class')), columns.map((_, k) => h('td', {}, judgementText(deltaClassOf(classes, value(k, 'delta')), t)))),
      ),
    ),
  );
}

/** The map's content as a table: every buurt with its values and class in words, sorted by name. */
function renderTable(table: HTMLTableElement, runs: readonly RunGeoJson[], indicator: ResultIndicator, classes: readonly DeltaClass[], t: Translate, number: NumberText, select: (code: string) => void): void {
  const compare = runs.length > 1;
  const [a, b] = runs;
  const byCode = (run: RunGeoJson | undefined) => new Map((run?.features ?? []).map((f) => [String(f.properties['gebied']), f.properties]));
  const rowsB = byCode(b);
  const value = (properties: Record<string, unknown> | undefined, part: string) => properties?.[`${indicator.id}.${part}`] as number | null | undefined;
  const features = [...(a?.features ?? [])].sort((x, y) => String(x.properties['naam']).localeCompare(String(y.properties['naam']), 'nl', { numeric: true }));
  const columns = compare
    ? [t('results.column.code'), t('results.column.basis'), t('results.column.a', { name: a!.scenario.naam }), t('results.column.b', { name: b!.scenario.naam }), t('results.column.deltaA'), t('results.column.deltaB'), t('results.column.class')]
    : [t('results.column.code'), t('results.column.basis'), t('results.column.scenario'), t('results.column.delta'), t('results.column.class')];
  replaceChildren(
    table,
    h('caption', { class: 'utrecht-table__caption' }, t(compare ? 'results.table.caption.compare' : 'results.table.caption', { indicator: indicator.titel, unit: indicator.eenheid, count: features.length })),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('results.column.buurt')), columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      features.map((feature) => {
        const code = String(feature.properties['gebied']);
        const other = rowsB.get(code);
        const cls = deltaClassOf(classes, value(feature.properties, 'delta'));
        const button = h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle tabel-kies' }, String(feature.properties['naam'] ?? code));
        button.addEventListener('click', () => select(code));
        const classCell = h('td', {}, h('span', { class: 'legenda-staal', 'data-kleur': cls?.colour ?? noValueColour, 'aria-hidden': 'true' }), judgementText(cls, t));
        const cells = compare
          ? [code, number(value(feature.properties, 'basis')), number(value(feature.properties, 'scenario')), number(value(other, 'scenario')), number(value(feature.properties, 'delta'), true), number(value(other, 'delta'), true)]
          : [code, number(value(feature.properties, 'basis')), number(value(feature.properties, 'scenario')), number(value(feature.properties, 'delta'), true)];
        return h('tr', { 'data-gebied': code }, h('th', { scope: 'row' }, button), cells.map((c) => h('td', { class: 'resultaat-getal' }, c)), classCell);
      }),
    ),
  );
  paintSwatches(table);
}

/**
 * The impact matrix as a table: one row group per domain (does it move, how many indicators), one row per indicator
 * with direction and judgement as arrow and word, the size as signed and relative change and buurten up/down, and
 * the certainty as word, dots and reason; colour only repeats what the words say.
 */
function renderMatrix(container: HTMLElement, impact: ImpactMatrix, app: App, t: Translate, number: NumberText): void {
  const percent = (value: number | null) => (typeof value === 'number' && Number.isFinite(value) ? `${value > 0 ? '+' : ''}${formatNumber(app.language, value * 100, 1)} %` : '—');
  const arrow: Record<string, string> = { hoger: '▲', lager: '▼', gelijk: '=' };
  const dots: Record<string, string> = { hoog: '●●●', middel: '●●○', laag: '●○○' };
  const columns = [t('results.matrix.direction'), t('results.matrix.judgement'), t('results.matrix.delta'), t('results.matrix.relative'), t('results.matrix.buurten'), t('results.matrix.certainty')];
  replaceChildren(
    container,
    h('h2', { class: 'utrecht-heading-2', id: 'impactmatrix-titel' }, t('results.matrix.title')),
    h(
      'table',
      { class: 'utrecht-table resultaat-matrixtabel' },
      h('caption', { class: 'utrecht-table__caption' }, t('results.matrix.caption', { threshold: percent(impact.drempel).replace('+', '') })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('results.matrix.indicator')), columns.map((c) => h('th', { scope: 'col' }, c)))),
      impact.domeinen.map((domain) => {
        const name = domainTitle(domain.domein, app);
        return h(
          'tbody',
          { 'data-domein': domain.domein, 'data-beweegt': String(domain.beweegt) },
          h(
            'tr',
            { class: 'resultaat-matrixdomein' },
            h('th', { scope: 'rowgroup', colspan: columns.length + 1 }, domain.beweegt ? t('results.matrix.moves', { domain: name, count: domain.indicatorenInBeweging }) : t('results.matrix.still', { domain: name })),
          ),
          domain.indicatoren.map((row) =>
            h(
              'tr',
              { 'data-indicator': row.indicator.id, 'data-beoordeling': row.beoordeling },
              h('th', { scope: 'row' }, `${row.indicator.titel} (${row.indicator.eenheid})`),
              h('td', {}, h('span', { 'aria-hidden': 'true', class: 'resultaat-pijl' }, arrow[row.richting] ?? ''), ` ${t(`results.direction.${row.richting}` as ResultsKey)}`),
              h('td', { class: `resultaat-oordeel resultaat-oordeel--${row.beoordeling}` }, t(`results.judgement.${row.beoordeling}` as ResultsKey)),
              h('td', { class: 'resultaat-getal' }, number(row.delta, true)),
              h('td', { class: 'resultaat-getal' }, percent(row.relatieveDelta)),
              h('td', {}, t('results.matrix.buurten.value', { up: row.buurtenHoger, down: row.buurtenLager, count: row.buurtenVergeleken })),
              h('td', {}, h('span', { 'aria-hidden': 'true', class: 'resultaat-stippen' }, dots[row.zekerheid] ?? ''), ` ${t(`results.certainty.${row.zekerheid}` as ResultsKey)}`, h('span', { class: 'resultaat-reden' }, row.zekerheidToelichting)),
            ),
          ),
        );
      }),
    ),
  );
}

/** The comparison table of `/api/v1/scenarios/vergelijking`: the municipality's value of every indicator in A and B. */
function renderComparison(container: HTMLElement, data: Loaded, app: App, t: Translate, number: NumberText): void {
  const a = data.a.scenario;
  const b = data.b!.scenario;
  const title = h('h2', { class: 'utrecht-heading-2', id: 'vergelijking-titel' }, t('results.compare.title'));
  if (!data.comparison) {
    replaceChildren(container, title, h('p', { role: 'alert' }, t('results.compare.datediffers', { detail: data.comparisonProblem ?? '' })));
    return;
  }
  const municipal = new Map(data.comparison.waarden.filter((w) => w.gebied.startsWith('GM')).map((w) => [w.indicator, w]));
  const columns = [t('results.column.basis'), t('results.column.a', { name: a.naam }), t('results.column.b', { name: b.naam }), t('results.column.deltaA'), t('results.column.deltaB'), t('results.column.verschil')];
  replaceChildren(
    container,
    title,
    h(
      'table',
      { class: 'utrecht-table resultaat-tabel' },
      h('caption', { class: 'utrecht-table__caption' }, t('results.compare.caption', { a: `A: ${a.naam}`, b: `B: ${b.naam}` })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('results.matrix.indicator')), columns.map((c) => h('th', { scope: 'col' }, c)))),
      groupByDomain(data.comparison.indicatoren).map(([domain, indicators]) =>
        h(
          'tbody',
          { 'data-domein': domain },
          h('tr', { class: 'resultaat-matrixdomein' }, h('th', { scope: 'rowgroup', colspan: columns.length + 1 }, domainTitle(domain, app))),
          indicators.map((indicator) => {
            const w = municipal.get(indicator.id);
            return h(
              'tr',
              { 'data-indicator': indicator.id },
              h('th', { scope: 'row' }, `${indicator.titel} (${indicator.eenheid})`),
              [number(w?.basis), number(w?.a), number(w?.b), number(w?.deltaA, true), number(w?.deltaB, true), number(w?.verschilBA, true)].map((c) => h('td', { class: 'resultaat-getal' }, c)),
            );
          }),
        ),
      ),
    ),
  );
}

/**
 * Downloads the HTML report: it needs the signed-in credentials, which a plain link would not carry, and a file
 * opened from disk keeps its own styles (a page made from a blob here would inherit this page's CSP).
 */
async function downloadReport(app: App, scenario: ScenarioSummary, t: Translate): Promise<void> {
  const response = await fetch(`${versionPath(scenario)}/rapport`, { headers: app.api.headers(), credentials: 'omit' });
  if (!response.ok) {
    announce(t('results.failed', { detail: (await problemOf(response)).message }));
    return;
  }
  const file = `scenario-${scenario.id}-versie-${scenario.versie}-rapport.html`;
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: file });
  link.click();
  URL.revokeObjectURL(link.href);
  announce(t('results.report.done', { file }));
}
