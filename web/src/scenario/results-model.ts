/**
 * The logic of the scenario results view (`#/scenarios/resultaat`), free of the DOM and the map so it is unit
 * tested: the view's state in the hash (what a shared link reproduces), the diverging class breaks of a delta,
 * and the grouping of indicators by policy domain. Shapes follow docs/scenarios.md ("Results").
 */

/** The route of the results view. */
export const resultsRoute = '#/scenarios/resultaat';

/** A scenario version, written `<id>:<versie>` in the hash and in `/api/v1/scenarios/vergelijking`. */
export interface VersionRef {
  readonly id: number;
  readonly versie: number;
}

/** The map's camera as the hash keeps it: `kaart=<zoom>/<lat>/<lon>`. */
export interface MapView {
  readonly zoom: number;
  readonly lat: number;
  readonly lon: number;
}

/** Everything a shared link must reproduce. */
export interface ResultsState {
  /** `undefined` when the hash names no (valid) scenario: the view then offers the list of scenarios. */
  readonly scenario?: VersionRef;
  readonly compare?: VersionRef;
  readonly indicator?: string;
  readonly view?: MapView;
}

/** Reads `<id>:<versie>` (two whole numbers ≥ 1); `undefined` for anything else. */
export function parseVersionRef(text: string | null): VersionRef | undefined {
  const match = /^(\d{1,15}):(\d{1,9})$/.exec(text ?? '');
  if (!match) {
    return undefined;
  }
  const id = Number(match[1]);
  const versie = Number(match[2]);
  return id >= 1 && versie >= 1 ? { id, versie } : undefined;
}

export function formatVersionRef(ref: VersionRef): string {
  return `${ref.id}:${ref.versie}`;
}

/** Reads the hash (with or without `#`) of the results route; what it does not understand is left out. */
export function parseResultsHash(hash: string): ResultsState {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const at = text.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : text.slice(at + 1));
  const state: { -readonly [K in keyof ResultsState]: ResultsState[K] } = {};
  const scenario = parseVersionRef(params.get('scenario'));
  if (scenario) {
    state.scenario = scenario;
  }
  const compare = parseVersionRef(params.get('vergelijk'));
  if (compare) {
    state.compare = compare;
  }
  // Indicator ids are lowercase words with hyphens (`no2`, `huisarts-tekort`, `leefbaarheid-woningen`).
  const indicator = params.get('indicator');
  if (indicator && /^[a-z0-9][a-z0-9-]{0,99}$/.test(indicator)) {
    state.indicator = indicator;
  }
  const view = parseMapView(params.get('kaart'));
  if (view) {
    state.view = view;
  }
  return state;
}

/** Writes the hash of `state`: parameters in a fixed order, so one view has one link. */
export function formatResultsHash(state: ResultsState): string {
  const parts: string[] = [];
  if (state.scenario) {
    parts.push(`scenario=${formatVersionRef(state.scenario)}`);
  }
  if (state.compare) {
    parts.push(`vergelijk=${formatVersionRef(state.compare)}`);
  }
  if (state.indicator) {
    parts.push(`indicator=${encodeURIComponent(state.indicator)}`);
  }
  if (state.view) {
    parts.push(`kaart=${formatMapView(state.view)}`);
  }
  return parts.length > 0 ? `${resultsRoute}?${parts.join('&')}` : resultsRoute;
}

/** `<zoom>/<lat>/<lon>` within Web Mercator's range; `undefined` otherwise. */
export function parseMapView(text: string | null): MapView | undefined {
  const parts = (text ?? '').split('/');
  if (parts.length !== 3 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) {
    return undefined;
  }
  const [zoom, lat, lon] = parts.map(Number) as [number, number, number];
  return zoom >= 0 && zoom <= 24 && Math.abs(lat) <= 85.06 && Math.abs(lon) <= 180 ? { zoom, lat, lon } : undefined;
}

/**
 * Zoom to 0.01 and degrees to 5 decimals (about 1 m): enough to reproduce the view, short enough to share, and
 * stable, so a camera that did not move writes the same link.
 */
export function formatMapView(view: MapView): string {
  const round = (value: number, digits: number) => String(Number(value.toFixed(digits)));
  return `${round(view.zoom, 2)}/${round(view.lat, 5)}/${round(view.lon, 5)}`;
}

/** An indicator of a run, as `…/resultaten` and `…/impactmatrix` describe it. */
export interface ResultIndicator {
  readonly id: string;
  readonly titel: string;
  readonly domein: string;
  readonly eenheid: string;
  /** `hoger-is-beter`, `lager-is-beter` or `neutraal` (reported, not judged). */
  readonly wenselijk: string;
  readonly model: string;
  readonly zekerheid: string;
  readonly zekerheidToelichting: string;
}

/** The impact matrix's domains, in its fixed order (docs/scenarios.md). */
export const resultDomains = ['sociaal', 'fysiek', 'mobiliteit', 'milieu', 'beheer'] as const;

/**
 * The indicators per domain, domains in the matrix's order (a domain the UI does not know comes last, by name, so
 * a new domain shows rather than vanishes), indicators in the run's order; domains without indicators left out.
 */
export function groupByDomain<T extends { readonly domein: string }>(indicators: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const indicator of indicators) {
    const list = groups.get(indicator.domein) ?? [];
    list.push(indicator);
    groups.set(indicator.domein, list);
  }
  const rank = (domain: string) => {
    const at = (resultDomains as readonly string[]).indexOf(domain);
    return at < 0 ? resultDomains.length : at;
  };
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** How a class of a delta reads: up or down, and whether that is better or worse (or not judged). */
export type Judgement = 'beter' | 'slechter' | 'geen' | 'neutraal';

/** One class of a diverging classification: values from `from` to `to`, or exactly 0 for the middle class. */
export interface DeltaClass {
  readonly from: number;
  readonly to: number;
  readonly colour: string;
  readonly judgement: Judgement;
}

/**
 * ColorBrewer's 7-class diverging schemes (Brewer, colorbrewer2.org; colour-blind safe and printable), from the
 * negative end to the positive end. RdBu for indicators with a desirable direction (red worse, blue better, as the
 * HTML report colours them), PuOr for indicators that are reported but not judged (e.g. residents).
 */
export const redBlue = ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'] as const;
export const purpleOrange = ['#b35806', '#f1a340', '#fee0b6', '#f7f7f7', '#d8daeb', '#998ec3', '#542788'] as const;

/** The step of the class breaks: the smallest 1, 2, 2.5 or 5 × 10^k with three steps covering `maxAbs`. */
export function niceStep(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) {
    return 0;
  }
  const raw = maxAbs / 3;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    const step = factor * power;
    // A relative tolerance, so 0.3 / 3 (0.09999…) takes the step 0.1 and not 0.2.
    if (step * (1 + 1e-9) >= raw) {
      return step;
    }
  }
  return 10 * power;
}

/**
 * Seven classes symmetric around 0 for the deltas `values` (of one map or of two maps compared, so both use the
 * same breaks): −3s…−2s, −2s…−s, −s…0, exactly 0 (no change), 0…s, s…2s, 2s…3s, with s = {@link niceStep} of the
 * largest |delta|. Equal steps keep "twice as far from 0" twice as many classes away on both sides; the middle
 * class is "no change" alone, so a buurt the scenario does not touch never looks like one it does. Colours and
 * judgements follow `wenselijk`. Without any non-zero delta there is only the middle class.
 */
export function divergingClasses(values: readonly (number | null | undefined)[], wenselijk: string): DeltaClass[] {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const step = niceStep(Math.max(0, ...finite.map(Math.abs)));
  const judged = wenselijk === 'hoger-is-beter' || wenselijk === 'lager-is-beter';
  const palette = judged ? redBlue : purpleOrange;
  // Palettes run from "worse" (red) to "better" (blue); for lager-is-beter a fall is better, so the order turns.
  const colours = wenselijk === 'lager-is-beter' ? [...palette].reverse() : [...palette];
  const sideJudgement = (sign: -1 | 1): Judgement => {
    if (!judged) {
      return 'neutraal';
    }
    return (sign > 0) === (wenselijk === 'hoger-is-beter') ? 'beter' : 'slechter';
  };
  const zero: DeltaClass = { from: 0, to: 0, colour: colours[3]!, judgement: 'geen' };
  if (step === 0) {
    return [zero];
  }
  return [
    { from: -3 * step, to: -2 * step, colour: colours[0]!, judgement: sideJudgement(-1) },
    { from: -2 * step, to: -step, colour: colours[1]!, judgement: sideJudgement(-1) },
    { from: -step, to: 0, colour: colours[2]!, judgement: sideJudgement(-1) },
    zero,
    { from: 0, to: step, colour: colours[4]!, judgement: sideJudgement(1) },
    { from: step, to: 2 * step, colour: colours[5]!, judgement: sideJudgement(1) },
    { from: 2 * step, to: 3 * step, colour: colours[6]!, judgement: sideJudgement(1) },
  ];
}

/**
 * The class of `delta`: the middle class for |delta| below a billionth of the step (rounding noise of two equal
 * runs), else the class whose range holds it (a value on a break goes to the class farther from 0); `null` for no value.
 */
export function deltaClassOf(classes: readonly DeltaClass[], delta: number | null | undefined): DeltaClass | null {
  if (typeof delta !== 'number' || !Number.isFinite(delta) || classes.length === 0) {
    return null;
  }
  const middle = classes.find((c) => c.from === 0 && c.to === 0)!;
  const step = classes.length > 1 ? classes[classes.length - 1]!.to / 3 : 0;
  if (Math.abs(delta) <= step * 1e-9) {
    return middle;
  }
  if (delta > 0) {
    const positive = classes.filter((c) => c.from >= 0 && c.to > 0);
    return [...positive].reverse().find((c) => delta >= c.from) ?? null;
  }
  return classes.filter((c) => c.to <= 0 && c.from < 0).find((c) => delta <= c.to && delta >= c.from) ?? classes[0]!;
}

/** One indicator's row of `…/impactmatrix`: the municipality's direction, judgement, size and certainty. */
export interface ImpactRow {
  readonly indicator: ResultIndicator;
  readonly richting: string;
  readonly beoordeling: string;
  readonly basis: number | null;
  readonly scenario: number | null;
  readonly delta: number | null;
  readonly relatieveDelta: number | null;
  readonly buurtenHoger: number;
  readonly buurtenLager: number;
  readonly buurtenVergeleken: number;
  readonly zekerheid: string;
  readonly zekerheidToelichting: string;
}

/** `…/impactmatrix`: every domain, in a fixed order, with its indicators. */
export interface ImpactMatrix {
  readonly drempel: number;
  readonly domeinen: readonly { readonly domein: string; readonly beweegt: boolean; readonly indicatorenInBeweging: number; readonly indicatoren: readonly ImpactRow[] }[];
}

/** The indicator shown first: the municipality's largest relative move among judged indicators, else the first. */
export function defaultIndicator(impact: ImpactMatrix, indicators: readonly ResultIndicator[]): string {
  let best: ImpactRow | null = null;
  for (const domain of impact.domeinen) {
    for (const row of domain.indicatoren) {
      if (row.beoordeling === 'neutraal' || typeof row.relatieveDelta !== 'number') {
        continue;
      }
      if (!best || Math.abs(row.relatieveDelta) > Math.abs(best.relatieveDelta ?? 0)) {
        best = row;
      }
    }
  }
  return best && Math.abs(best.relatieveDelta ?? 0) > 0 ? best.indicator.id : indicators[0]!.id;
}
