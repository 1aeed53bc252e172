import { describe, expect, it } from 'vitest';
import type { IndicatorInfo } from '../src/catalog';
import { sequentialPalette, noDataColour } from '../src/colour';
import { attributePaint, choiceOptions, indicatorPaint, parseChoice, valuesByBuurt, type Area } from '../src/colouring';
import { buildStyle, mapColours } from '../src/layers';
import { evaluateColour } from './expressions';

const indicator = (code: string, naam: string): IndicatorInfo => ({ code, naam, beschrijving: '', eenheid: '%', bronDataset: 'demostad-basis', methode: '', persoonsgegevens: false });

const areas: Area[] = [
  { code: 'GM01', naam: 'Demostad', niveau: 'gemeente', indicatoren: [{ code: 'lage-inkomens', waarde: 50, eenheid: '%' }] },
  { code: 'BU01', naam: 'Centrum', niveau: 'buurt', indicatoren: [{ code: 'lage-inkomens', waarde: 10, eenheid: '%' }] },
  { code: 'BU02', naam: 'Haven', niveau: 'buurt', indicatoren: [{ code: 'lage-inkomens', waarde: 30, eenheid: '%' }] },
  { code: 'BU03', naam: 'Klein', niveau: 'buurt', indicatoren: [{ code: 'lage-inkomens', waarde: null, eenheid: '%' }] },
  { code: 'BU04', naam: 'Nieuw', niveau: 'buurt', indicatoren: [] },
];

describe('colour choices', () => {
  it('read the values of #kleur-indicator; a bare code colours buurten', () => {
    expect(parseChoice('panden:hoogte')).toEqual({ target: 'panden', key: 'hoogte' });
    expect(parseChoice('panden-buurt:x')).toEqual({ target: 'panden-buurt', key: 'x' });
    expect(parseChoice('lage-inkomens')).toEqual({ target: 'buurten', key: 'lage-inkomens' });
    expect(parseChoice('')).toBeNull();
    expect(parseChoice('panden:kleur')).toBeNull();
    expect(parseChoice('wegen:x')).toBeNull();
    expect(parseChoice('buurten:')).toBeNull();
  });

  it('offer the building attributes, then every indicator for buurten and for buildings by buurt', () => {
    const options = choiceOptions([indicator('b', 'Zorg'), indicator('a', 'Armoede')]);
    expect(options.map((o) => o.value)).toEqual(['panden:hoogte', 'panden:bouwjaar', 'buurten:a', 'buurten:b', 'panden-buurt:a', 'panden-buurt:b']);
  });
});

describe('indicator colours', () => {
  it('take the buurten’s values only, null where protected or missing', () => {
    expect([...valuesByBuurt(areas, 'lage-inkomens')]).toEqual([
      ['BU01', 10],
      ['BU02', 30],
      ['BU03', null],
      ['BU04', null],
    ]);
  });

  it('colour buurten by their own code and buildings by their buurtcode', () => {
    const values = valuesByBuurt(areas, 'lage-inkomens');
    const buurten = indicatorPaint('buurten', values);
    expect(buurten.layer).toBe('buurten');
    expect(buurten.colourOf({ id: 'BU01' })).toBe(sequentialPalette[0]);
    expect(buurten.colourOf({ id: 'BU02' })).toBe(sequentialPalette[4]);
    expect(buurten.colourOf({ id: 'BU03' })).toBe(noDataColour);
    expect(buurten.colourOf({ id: 'BU99' })).toBe(noDataColour);

    const panden = indicatorPaint('panden-buurt', values);
    expect(panden.layer).toBe('panden');
    expect(panden.colourOf({ id: 'P1', buurtcode: 'BU02' })).toBe(sequentialPalette[4]);
    expect(panden.colourOf({ id: 'P2', buurtcode: 'BU04' })).toBe(noDataColour);
    expect(panden.colourOf({ id: 'P3' })).toBe(noDataColour);
  });

  it('colour buildings by height with fixed classes in metres, numeric strings too, none without a height', () => {
    const paint = attributePaint('hoogte');
    expect(paint.classes.map((c) => c.from)).toEqual([0, 6, 10, 15, 25]);
    expect(paint.colourOf({ hoogte: 3 })).toBe(sequentialPalette[0]);
    expect(paint.colourOf({ hoogte: 12.5 })).toBe(sequentialPalette[2]);
    expect(paint.colourOf({ hoogte: '30' })).toBe(sequentialPalette[4]);
    expect(paint.colourOf({ hoogte: 400 })).toBe(sequentialPalette[4]);
    expect(paint.colourOf({})).toBe(noDataColour);
    expect(paint.colourOf({ hoogte: '' })).toBe(noDataColour);
  });
});

describe('the map colours by feature state', () => {
  const style = buildStyle({ origin: 'http://localhost' });
  const paintOf = (id: string) => (style.layers.find((l) => l.id === id) as { paint: Record<string, unknown> }).paint;

  it('shows a building in its colouring’s colour (feature state kleur), else the building colour, the selection on top', () => {
    const colour = paintOf('panden')['fill-extrusion-color'];
    expect(evaluateColour(colour, { id: 'P1' })).toBe(mapColours.building);
    expect(evaluateColour(colour, { id: 'P1' }, { kleur: sequentialPalette[3] })).toBe(sequentialPalette[3]);
    expect(evaluateColour(colour, { id: 'P1' }, { kleur: sequentialPalette[3], geselecteerd: true })).toBe(mapColours.selected);
  });

  it('fills a buurt in its colouring’s colour', () => {
    const fill = paintOf('buurten')['fill-color'];
    expect(evaluateColour(fill, { id: 'BU01' }, { kleur: sequentialPalette[1] }, 'fill-color', 'paint_fill')).toBe(sequentialPalette[1]);
    expect(evaluateColour(fill, { id: 'BU01' }, {}, 'fill-color', 'paint_fill')).toBe(mapColours.building);
  });
});
