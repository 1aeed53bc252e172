import type { IndicatorInfo } from './catalog';
import { classOf, fixedClasses, noDataColour, quantileClasses, type ColourClass } from './colour';

/**
 * What `#kleur-indicator` (and `window.tweeling.recolour`) can colour by:
 * `panden:<attribute>` (a tile attribute of buildings), `buurten:<indicator>` (buurten by an indicator of
 * `/api/v1/indicatoren`) and `panden-buurt:<indicator>` (each building by its buurt's value).
 */
export type ColourTarget = 'panden' | 'buurten' | 'panden-buurt';

export interface ColourChoice {
  readonly target: ColourTarget;
  /** The attribute or indicator code. */
  readonly key: string;
}

/** Building attributes with fixed, meaningful class breaks. */
export const buildingAttributes: Record<string, { readonly breaks: readonly number[]; readonly unit: 'legend.metres' | 'legend.year' }> = {
  // Metres: one or two storeys, a terraced house with attic, low-rise flats, mid-rise, high-rise (70 m covers the demo city's tallest).
  hoogte: { breaks: [0, 6, 10, 15, 25, 70], unit: 'legend.metres' },
  // The periods of the Dutch housing stock: pre-war, reconstruction, 1965–1990 growth areas, Vinex, recent.
  bouwjaar: { breaks: [1850, 1945, 1965, 1990, 2005, 2030], unit: 'legend.year' },
};

/** Reads a `#kleur-indicator` value; a bare indicator code means `buurten:<code>`. `null` for none or a malformed value. */
export function parseChoice(value: string): ColourChoice | null {
  if (!value) {
    return null;
  }
  const at = value.indexOf(':');
  if (at < 0) {
    return { target: 'buurten', key: value };
  }
  const target = value.slice(0, at);
  const key = value.slice(at + 1);
  if (!key || (target !== 'panden' && target !== 'buurten' && target !== 'panden-buurt')) {
    return null;
  }
  if (target === 'panden' && !(key in buildingAttributes)) {
    return null;
  }
  return { target, key };
}

export function choiceValue(choice: ColourChoice): string {
  return `${choice.target}:${choice.key}`;
}

/** The options of `#kleur-indicator`: building attributes, then every indicator for buurten and for buildings by buurt. */
export function choiceOptions(indicators: readonly IndicatorInfo[]): { group: ColourTarget; value: string; indicator?: IndicatorInfo; attribute?: string }[] {
  const sorted = [...indicators].sort((a, b) => a.naam.localeCompare(b.naam, 'nl'));
  return [
    ...Object.keys(buildingAttributes).map((attribute) => ({ group: 'panden' as const, value: `panden:${attribute}`, attribute })),
    ...sorted.map((indicator) => ({ group: 'buurten' as const, value: `buurten:${indicator.code}`, indicator })),
    ...sorted.map((indicator) => ({ group: 'panden-buurt' as const, value: `panden-buurt:${indicator.code}`, indicator })),
  ];
}

/**
 * One colouring: which layer it colours, its classes (for the legend and the table), and the colour of each
 * feature from its tile properties. The map hands every loaded feature its colour as feature state (`kleur`),
 * which MapLibre applies to the geometry it holds; a new paint expression would make it lay out every loaded tile
 * again (issue 5: recolour all buildings < 1 s).
 */
export interface ColourPaint {
  readonly layer: 'panden' | 'buurten';
  readonly classes: readonly ColourClass[];
  /** The colour of the class the feature's value falls in; `noDataColour` when it has no value. */
  colourOf(properties: Readonly<Record<string, unknown>>): string;
}

/** A tile property as a number: MVT keeps numbers as numbers, but a value may arrive as a numeric string. */
function numberOf(value: unknown): number | null {
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
}

/** The paint for a building attribute (no data to fetch: the tiles carry it). */
export function attributePaint(attribute: string): ColourPaint {
  const classes = fixedClasses(buildingAttributes[attribute]!.breaks);
  return { layer: 'panden', classes, colourOf: (properties) => classOf(classes, numberOf(properties[attribute]))?.colour ?? noDataColour };
}

/** The paint for an indicator over buurt codes: the buurten themselves (by `id`), or the buildings by their `buurtcode`. */
export function indicatorPaint(target: 'buurten' | 'panden-buurt', valueByBuurt: ReadonlyMap<string, number | null>): ColourPaint {
  const classes = quantileClasses([...valueByBuurt.values()]);
  const colourByBuurt = new Map([...valueByBuurt].map(([code, value]) => [code, classOf(classes, value)?.colour ?? noDataColour]));
  const key = target === 'buurten' ? 'id' : 'buurtcode';
  return {
    layer: target === 'buurten' ? 'buurten' : 'panden',
    classes,
    colourOf: (properties) => colourByBuurt.get(String(properties[key])) ?? noDataColour,
  };
}

/** An area of `/api/v1/gebieden` with its indicator values. */
export interface Area {
  readonly code: string;
  readonly naam: string;
  readonly niveau: string;
  readonly indicatoren: readonly { readonly code: string; readonly waarde: number | null; readonly eenheid: string }[];
}

/** The value of `indicator` per buurt code; `null` where disclosure control protects it or the buurt has none. */
export function valuesByBuurt(areas: readonly Area[], indicator: string): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const area of areas) {
    if (area.niveau === 'buurt') {
      values.set(area.code, area.indicatoren.find((i) => i.code === indicator)?.waarde ?? null);
    }
  }
  return values;
}
