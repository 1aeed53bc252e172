import { describe, expect, it } from 'vitest';
import type { IndicatorInfo } from '../src/catalog';
import { sequentialPalette, noDataColour } from '../src/colour';
import { attributePaint, choiceOptions, indicatorPaint, parseChoice, valuesByBuurt, type Area } from '../src/colouring';
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
    expect(evaluateColour(buurten.colour, { id: 'BU01' }, {}, 'fill-color', 'paint_fill')).toBe(sequentialPalette[0]);
    expect(evaluateColour(buurten.colour, { id: 'BU02' }, {}, 'fill-color', 'paint_fill')).toBe(sequentialPalette[4]);
    expect(evaluateColour(buurten.colour, { id: 'BU03' }, {}, 'fill-color', 'paint_fill')).toBe(noDataColour);

    const panden = indicatorPaint('panden-buurt', values);
    expect(panden.layer).toBe('panden');
    expect(evaluateColour(panden.colour, { id: 'P1', buurtcode: 'BU02' })).toBe(sequentialPalette[4]);
    expect(evaluateColour(panden.colour, { id: 'P2', buurtcode: 'BU04' })).toBe(noDataColour);
    expect(evaluateColour(panden.colour, { id: 'P2', buurtcode: 'BU01' }, { geselecteerd: true })).not.toBe(sequentialPalette[0]);
  });

  it('colour buildings by height with fixed classes in metres', () => {
    const paint = attributePaint('hoogte');
    expect(paint.classes.map((c) => c.from)).toEqual([0, 6, 10, 15, 25]);
    expect(evaluateColour(paint.colour, { hoogte: 30 })).toBe(sequentialPalette[4]);
  });
});
