import type { IndicatorInfo } from './catalog';
import { fixedClasses, matchExpression, quantileClasses, stepExpression, withSelection, type ColourClass, type Expression } from './colour';
import { mapColours } from './layers';

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

/** The paint of one colouring: which layer, which paint property, which expression, and the classes for the legend. */
export interface ColourPaint {
  readonly layer: 'panden' | 'buurten';
  readonly property: 'fill-extrusion-color' | 'fill-color';
  readonly colour: Expression | string;
  readonly classes: readonly ColourClass[];
}

/** The paint for a building attribute (no data to fetch: the tiles carry it). */
export function attributePaint(attribute: string): ColourPaint {
  const classes = fixedClasses(buildingAttributes[attribute]!.breaks);
  return { layer: 'panden', property: 'fill-extrusion-color', colour: withSelection(stepExpression(attribute, classes), mapColours.selected), classes };
}

/** The paint for an indicator over buurt codes: the buurten themselves, or the buildings by their `buurtcode`. */
export function indicatorPaint(target: 'buurten' | 'panden-buurt', valueByBuurt: ReadonlyMap<string, number | null>): ColourPaint {
  const classes = quantileClasses([...valueByBuurt.values()]);
  if (target === 'buurten') {
    return { layer: 'buurten', property: 'fill-color', colour: matchExpression('id', valueByBuurt, classes), classes };
  }
  return {
    layer: 'panden',
    property: 'fill-extrusion-color',
    colour: withSelection(matchExpression('buurtcode', valueByBuurt, classes), mapColours.selected),
    classes,
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
