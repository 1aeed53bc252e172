import type { ExpressionSpecification } from 'maplibre-gl';

/**
 * Colour classes for recolouring the map by an indicator (the map applies them to the geometry it has loaded,
 * as feature state, so recolouring never reloads a tile), and colour contrast.
 */

/**
 * Five sequential classes, light to dark (ColorBrewer YlGnBu, colour-blind safe and printable). Light classes
 * stay distinguishable on the 3D buildings' shading; the darkest contrasts with the light background.
 */
export const sequentialPalette = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;

/** Areas or buildings without a value, or whose value disclosure control protects. */
export const noDataColour = '#bdbdbd';

/** One class: values from `from` (inclusive) to `to` (exclusive; the last class includes its `to`). */
export interface ColourClass {
  readonly from: number;
  readonly to: number;
  readonly colour: string;
}

/**
 * Quantile classes of `values` (nulls and non-finite values left out): each class holds about as many values,
 * which keeps a skewed indicator readable. Equal breaks merge, so there may be fewer classes than colours.
 */
export function quantileClasses(values: readonly (number | null | undefined)[], palette: readonly string[] = sequentialPalette): ColourClass[] {
  const sorted = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return [];
  }
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  if (min === max) {
    return [{ from: min, to: max, colour: palette[palette.length - 1]! }];
  }
  const breaks: number[] = [min];
  for (let i = 1; i < palette.length; i++) {
    const q = sorted[Math.floor((i * sorted.length) / palette.length)]!;
    if (q > breaks[breaks.length - 1]!) {
      breaks.push(q);
    }
  }
  // Spread the colours over the classes that remain, so two classes never look alike.
  const count = breaks.length;
  return breaks.map((from, i) => ({
    from,
    to: i + 1 < count ? breaks[i + 1]! : max,
    colour: palette[count === 1 ? palette.length - 1 : Math.round((i * (palette.length - 1)) / (count - 1))]!,
  }));
}

/** Classes with fixed breaks, for attributes whose meaningful steps are known (height in metres, year built). */
export function fixedClasses(breaks: readonly number[], palette: readonly string[] = sequentialPalette): ColourClass[] {
  if (breaks.length !== palette.length + 1) {
    throw new Error(`${palette.length} colours need ${palette.length + 1} breaks; got ${breaks.length}.`);
  }
  return palette.map((colour, i) => ({ from: breaks[i]!, to: breaks[i + 1]!, colour }));
}

/** The class `value` falls in, or `null` for no value. Values outside the range go to the nearest end class. */
export function classOf(classes: readonly ColourClass[], value: number | null | undefined): ColourClass | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || classes.length === 0) {
    return null;
  }
  for (let i = classes.length - 1; i >= 0; i--) {
    if (value >= classes[i]!.from) {
      return classes[i]!;
    }
  }
  return classes[0]!;
}

/** A MapLibre expression (JSON form). */
export type Expression = ExpressionSpecification;

/** Wraps a colour so that the selected feature (feature state `geselecteerd`) shows in the highlight colour. */
export function withSelection(colour: Expression | string, highlight: string): Expression {
  return ['case', ['boolean', ['feature-state', 'geselecteerd'], false], highlight, colour] as Expression;
}

/**
 * The relative luminance of a `#rrggbb` colour (WCAG 2.1), and the contrast ratio of two colours; used to keep
 * the theme's text and legend swatches at WCAG AA.
 */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
