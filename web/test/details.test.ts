import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../src/catalog';
import { dataRows, featureTitle, lineageFromCatalog, lineageRows, type Lineage } from '../src/details';
import { format, type MessageKey } from '../src/i18n';

const nl = (key: MessageKey) => format('nl', key);
const en = (key: MessageKey) => format('en', key);

const feature = {
  id: 'PD0001',
  geometry: null,
  properties: { hoogte: 12.25, functie: 'wonen', woningen: 4, dataset: 'demostad-basis', geldigVanaf: '2020-05-01T00:00:00Z', geldigTot: null, staUrl: 'x' },
};

const dataset: DatasetInfo = {
  id: 'demostad-basis',
  titel: 'Demostad (synthetisch)',
  beschrijving: '',
  uitgever: { naam: 'Gemeente Demostad', uri: 'urn:x' },
  maker: { naam: 'Tweeling', uri: 'urn:y' },
  classificatie: 'open',
  licentie: 'http://creativecommons.org/publicdomain/zero/1.0/',
  gewijzigd: '2025-01-01T00:00:00Z',
  herkomst: 'Gegenereerd',
  synthetisch: true,
};

describe('the click panel', () => {
  it('shows a feature’s own data, not its lineage or technical members', () => {
    expect(dataRows(feature, 'nl')).toEqual([
      ['hoogte', '12,25'],
      ['functie', 'wonen'],
      ['woningen', '4'],
    ]);
  });

  it('always names dataset, owner, last update and classification — the lineage terms of the contract', () => {
    const terms = (rows: [string, string][]) => rows.map(([term]) => term);
    expect(terms(lineageRows(lineageFromCatalog(feature, dataset), nl, 'nl')).slice(0, 4)).toEqual(['Dataset', 'Eigenaar', 'Laatst bijgewerkt', 'Classificatie']);
    expect(terms(lineageRows(lineageFromCatalog(feature, undefined), en, 'en'))).toEqual(['Dataset', 'Owner', 'Last updated', 'Classification', 'Valid from']);
  });

  it('fills the lineage from the catalog entry when the platform has no lineage endpoint', () => {
    const rows = Object.fromEntries(lineageRows(lineageFromCatalog(feature, dataset), nl, 'nl'));
    expect(rows).toMatchObject({
      Dataset: 'Demostad (synthetisch)',
      Eigenaar: 'Gemeente Demostad',
      'Laatst bijgewerkt': '1 januari 2025',
      Classificatie: 'open',
      'Geldig vanaf': '1 mei 2020',
    });
  });

  it('shows the lineage endpoint’s answer, an unknown classification as it came', () => {
    const lineage: Lineage = {
      dataset: 'x',
      datasetTitel: null,
      eigenaar: 'GGD',
      bron: null,
      laatstBijgewerkt: null,
      geldigVanaf: null,
      classificatie: 'geheim-nieuw',
      licentie: null,
      synthetisch: false,
    };
    expect(lineageRows(lineage, en, 'en')).toEqual([
      ['Dataset', 'x'],
      ['Owner', 'GGD'],
      ['Last updated', '—'],
      ['Classification', 'geheim-nieuw'],
    ]);
    expect(lineageRows({ ...lineage, classificatie: 'vertrouwelijk' }, en, 'en')[3]).toEqual(['Classification', 'confidential']);
  });
});

describe('the panel’s title', () => {
  const pand = (properties: Record<string, unknown>) => ({ id: '9999100000000042', geometry: null, properties });

  it('is a building’s address as Dutch addresses are written, with its house letter and a spaced postcode', () => {
    expect(featureTitle(pand({ openbareruimtenaam: 'Voorstraat', huisnummer: 12, huisletter: 'a', postcode: '3311AB' }))).toBe('Voorstraat 12a, 3311 AB');
    expect(featureTitle(pand({ openbareruimtenaam: 'Merelstraat', huisnummer: 7, huisletter: null, postcode: '3312CD' }))).toBe('Merelstraat 7, 3312 CD');
    expect(featureTitle(pand({ openbareruimtenaam: 'Merelstraat', huisnummer: 7 }))).toBe('Merelstraat 7');
  });

  it('is a name before an address, and the id when there is neither', () => {
    expect(featureTitle(pand({ naam: 'Stadhuis', openbareruimtenaam: 'Stadhuisplein', huisnummer: 1 }))).toBe('Stadhuis');
    expect(featureTitle(pand({ functie: 'overig' }))).toBe('9999100000000042');
  });
});
