import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classOf, contrastRatio, fixedClasses, quantileClasses, sequentialPalette } from '../src/colour';

describe('quantile classes', () => {
  it('put about as many values in each class, in ascending order', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const classes = quantileClasses(values);
    expect(classes.map((c) => c.from)).toEqual([0, 20, 40, 60, 80]);
    expect(classes.at(-1)!.to).toBe(99);
    expect(classes.map((c) => c.colour)).toEqual([...sequentialPalette]);
  });

  it('leave out values that are missing or protected', () => {
    expect(quantileClasses([null, undefined, Number.NaN])).toEqual([]);
    expect(quantileClasses([5, null, 5])).toEqual([{ from: 5, to: 5, colour: sequentialPalette.at(-1) }]);
  });

  it('merge equal breaks and spread the colours over the classes that remain', () => {
    const classes = quantileClasses([1, 1, 1, 1, 1, 1, 1, 1, 2, 3]);
    expect(classes.map((c) => c.from)).toEqual([1, 2]);
    expect(classes.map((c) => c.colour)).toEqual([sequentialPalette[0], sequentialPalette[4]]);
  });

  it('place values on a break in the upper class and outside values in the end classes', () => {
    const classes = fixedClasses([0, 6, 10, 15, 25, 70]);
    expect(classOf(classes, 6)?.from).toBe(6);
    expect(classOf(classes, 5.99)?.from).toBe(0);
    expect(classOf(classes, 500)?.from).toBe(25);
    expect(classOf(classes, -1)?.from).toBe(0);
    expect(classOf(classes, null)).toBeNull();
  });

  it('refuse fixed breaks that do not fit the palette', () => {
    expect(() => fixedClasses([0, 1])).toThrow(/6 breaks/);
  });
});

describe('contrast (WCAG 2.1)', () => {
  it('computes the ratios of the WCAG definition', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the theme’s text at 4.5:1 and its focus ring and borders at 3:1 on white', () => {
    const theme = readFileSync(new URL('../src/styles/theme.css', import.meta.url), 'utf8');
    const token = (name: string) => {
      const match = new RegExp(`--tweeling-${name}:\\s*(#[0-9a-f]{6})`).exec(theme);
      if (!match) {
        throw new Error(`theme.css has no --tweeling-${name}`);
      }
      return match[1]!;
    };
    for (const text of ['color-primary', 'color-primary-dark', 'color-text', 'color-text-muted', 'color-error']) {
      expect(contrastRatio(token(text), '#ffffff'), text).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio(token('color-text'), token('color-surface'))).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(token('color-primary-dark'), token('color-primary-light'))).toBeGreaterThanOrEqual(4.5);
    for (const ui of ['color-focus', 'color-border']) {
      expect(contrastRatio(token(ui), '#ffffff'), ui).toBeGreaterThanOrEqual(3);
    }
    expect(contrastRatio('#ffffff', token('color-primary'))).toBeGreaterThanOrEqual(4.5);
  });
});
