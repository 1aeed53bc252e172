import { describe, expect, it } from 'vitest';
import { fixedClasses, sequentialPalette } from '../src/colour';
import { classRows, defaultRows } from '../src/legend';
import { areaTable, featureTable, maxRows, showsAreas } from '../src/maptable';
import { format, type MessageKey } from '../src/i18n';

const nl = (key: MessageKey, params?: Record<string, string | number>) => format('nl', key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => format('en', key, params);

describe('the table alternative of the map', () => {
  it('lists the features in view by name with their main attributes', () => {
    const model = featureTable(
      'panden',
      [
        { properties: { id: 'P10', functie: 'wonen', hoogte: 9.5, bouwjaar: 1930, buurtcode: 'BU01' } },
        { properties: { id: 'P2', functie: 'winkel', hoogte: 12, bouwjaar: 1999, buurtcode: 'BU02' } },
      ],
      nl,
      'nl',
      fixedClasses([0, 6, 10, 15, 25, 70]),
      'hoogte',
    );
    expect(model.caption).toBe('Panden (3D): 2 objecten in beeld');
    expect(model.columns).toEqual(['Naam', 'functie', 'hoogte', 'bouwjaar', 'buurtcode']);
    expect(model.rows.map((r) => r.id)).toEqual(['P2', 'P10']);
    expect(model.rows[1]!.cells).toEqual(['wonen', '9,5', '1930', 'BU01']);
    expect(model.rows[0]!.colour).toBe(sequentialPalette[2]);
  });

  it('shows at most maxRows rows but counts them all', () => {
    const features = Array.from({ length: maxRows + 5 }, (_, i) => ({ properties: { id: `B${i}`, naam: `Boom ${i}` } }));
    const model = featureTable('bomen', features, en, 'en');
    expect(model.rows).toHaveLength(maxRows);
    expect(model.count).toBe(maxRows + 5);
  });

  it('lists every buurt with the colouring indicator, protected values named as such', () => {
    const model = areaTable(
      [
        { code: 'BU02', naam: 'Haven', niveau: 'buurt', indicatoren: [{ code: 'x', waarde: 12.345, eenheid: '%' }] },
        { code: 'BU01', naam: 'Centrum', niveau: 'buurt', indicatoren: [{ code: 'x', waarde: null, eenheid: '%' }] },
        { code: 'WK01', naam: 'Wijk', niveau: 'wijk', indicatoren: [] },
      ],
      { code: 'x', naam: 'Lage inkomens', eenheid: '%' },
      fixedClasses([0, 5, 10, 15, 20, 100]),
      nl,
      'nl',
    );
    expect(model.caption).toBe('Buurten: 2 buurten met Lage inkomens');
    expect(model.columns).toEqual(['Naam', 'Kenmerk', 'Lage inkomens (%)']);
    expect(model.rows.map((r) => [r.name, ...r.cells])).toEqual([
      ['Centrum', 'BU01', 'Geen gegevens of beschermd'],
      ['Haven', 'BU02', '12,35'],
    ]);
    expect(showsAreas('buurten', { target: 'buurten', key: 'x' })).toBe(true);
    expect(showsAreas('buurten', { target: 'panden', key: 'hoogte' })).toBe(false);
    expect(showsAreas('panden', { target: 'buurten', key: 'x' })).toBe(false);
  });
});

describe('the legend', () => {
  it('names each class as a range, the last as “or more”, and says what has no value', () => {
    const rows = classRows(fixedClasses([0, 6, 10, 15, 25, 70]), 'nl', nl);
    expect(rows.map((r) => r.label)).toEqual(['0 tot 6', '6 tot 10', '10 tot 15', '15 tot 25', '25 of meer', 'Geen gegevens of beschermd']);
    expect(rows.map((r) => r.colour).slice(0, 5)).toEqual([...sequentialPalette]);
  });

  it('writes years without a thousands separator', () => {
    expect(classRows(fixedClasses([1850, 1945, 1965, 1990, 2005, 2030]), 'en', en, true)[0]!.label).toBe('1850 to 1945');
  });

  it('shows the default colours of the visible layers only', () => {
    expect(defaultRows(new Set(['panden', 'sensoren']), en).map((r) => r.label)).toEqual(['Buildings (3D)', 'Sensors']);
    expect(defaultRows(new Set(['groenvlakken']), nl).map((r) => r.label)).toEqual(['Water', 'Groen', 'Verhard', 'Bebouwd']);
  });
});
