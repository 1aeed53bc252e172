import { describe, expect, it } from 'vitest';
import { localMessages } from '../src/dashboards/messages';
import { barsOf, byTheme, dashboardPath, exportFileName, levelOf, type Dashboard, type Figure } from '../src/dashboards/model';

const figure = (code: string, thema = 'armoede'): Figure => ({ code, naam: code, thema, eenheid: 'aantal', bronnen: ['d'], classificatie: 'open', beschermd: false });

const dashboard: Dashboard = {
  dashboard: 'armoede',
  titel: 'Armoede en multiproblematiek',
  peildatum: '2024-03-01',
  kengetallen: [figure('laag'), figure('schuld', 'schulden'), figure('multi', 'multiproblematiek'), figure('laag2')],
  gebieden: [
    { code: 'WK01', naam: 'Noord', niveau: 'wijk', waarden: { laag: 900, schuld: 40, multi: 15, laag2: 1 } },
    { code: 'BU01', naam: 'Aa', niveau: 'buurt', waarden: { laag: 300, schuld: null, multi: null, laag2: 1 } },
    { code: 'BU02', naam: 'Bb', niveau: 'buurt', waarden: { laag: 600, schuld: null, multi: 15, laag2: 1 } },
    { code: 'BU03', naam: 'Cc', niveau: 'buurt', waarden: { laag: null, schuld: null, multi: 10, laag2: 1 } },
  ],
};

describe('barsOf', () => {
  it('charts the buurten highest first with bars scaled to the highest and suppressed values last', () => {
    const bars = barsOf(dashboard, figure('laag'));
    expect(bars.map((b) => [b.code, b.value, b.share])).toEqual([
      ['BU02', 600, 1],
      ['BU01', 300, 0.5],
      ['BU03', null, 0],
    ]);
  });

  it('charts a figure the caller sees only per wijk per wijk', () => {
    expect(levelOf(dashboard, figure('schuld'))).toBe('wijk');
    expect(barsOf(dashboard, figure('schuld')).map((b) => b.code)).toEqual(['WK01']);
    expect(levelOf(dashboard, figure('multi'))).toBe('buurt');
  });

  it('orders equal values by name and keeps at most the limit', () => {
    expect(barsOf(dashboard, figure('laag2'), 2).map((b) => b.label)).toEqual(['Aa', 'Bb']);
  });
});

describe('byTheme', () => {
  it('groups figures by theme in the order of the API', () => {
    expect(byTheme(dashboard.kengetallen).map(([theme, figures]) => [theme, figures.map((f) => f.code)])).toEqual([
      ['armoede', ['laag', 'laag2']],
      ['schulden', ['schuld']],
      ['multiproblematiek', ['multi']],
    ]);
  });
});

describe('dashboardPath and exportFileName', () => {
  it('asks for the reference date and the export format', () => {
    expect(dashboardPath('armoede', undefined)).toBe('/api/v1/dashboards/armoede');
    expect(dashboardPath('binnenstad', '2024-03-01', 'csv')).toBe('/api/v1/dashboards/binnenstad?peildatum=2024-03-01&formaat=csv');
    expect(exportFileName(dashboard, 'geojson')).toBe('armoede-2024-03-01.geojson');
  });
});

describe('local messages', () => {
  it('have the same keys in Dutch and English and no empty text', () => {
    expect(Object.keys(localMessages.en).sort()).toEqual(Object.keys(localMessages.nl).sort());
    for (const table of Object.values(localMessages)) {
      expect(Object.values(table).filter((text) => text.trim() === '')).toEqual([]);
    }
  });
});
