import { describe, expect, it } from 'vitest';
import { format, formatDate, formatNumber, messages, otherLanguage } from '../src/i18n';
import { en } from '../src/i18n/en';
import { nl } from '../src/i18n/nl';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message tables', () => {
  it('have the same keys in Dutch and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
  });

  it('have no empty text in either language', () => {
    for (const [language, table] of Object.entries(messages)) {
      for (const [key, text] of Object.entries(table)) {
        expect(text.trim(), `${language}: ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(nl) as (keyof typeof nl)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(nl[key]));
    }
  });

  it('translate the English texts (only names and words both languages share may be equal)', () => {
    const shared = ['app.title', 'details.title', 'details.dataset', 'classification.open', 'legend.water', 'search.kind.sensor'];
    const same = (Object.keys(nl) as (keyof typeof nl)[]).filter((key) => nl[key] === en[key]);
    expect(same.sort()).toEqual(shared.sort());
  });

  it('name every layer, domain and role the UI shows', () => {
    for (const key of ['domain.sociaal', 'domain.fysiek', 'domain.mobiliteit', 'domain.milieu', 'domain.beheer', 'domain.sensoren', 'role.publiek', 'role.ethische-commissie']) {
      expect(key in nl).toBe(true);
    }
  });
});

describe('format', () => {
  it('fills placeholders and writes numbers in the language’s notation', () => {
    expect(format('nl', 'search.results', { count: 3 })).toBe('3 resultaten');
    expect(format('en', 'legend.range', { from: '1', to: '2' })).toBe('1 to 2');
    expect(formatNumber('nl', 1234.56)).toBe('1.234,6');
    expect(formatNumber('en', 1234.56)).toBe('1,234.6');
  });

  it('leaves an unknown placeholder visible rather than dropping it', () => {
    expect(format('nl', 'search.none', {})).toBe('Geen resultaten voor “{query}”.');
  });

  it('writes dates in the language, in the Amsterdam time zone', () => {
    expect(formatDate('nl', '2025-03-01T23:30:00Z')).toBe('2 maart 2025');
    expect(formatDate('en', '2025-03-01')).toBe('1 March 2025');
    expect(formatDate('nl', 'geen datum')).toBe('geen datum');
  });

  it('switches between the two languages', () => {
    expect(otherLanguage('nl')).toBe('en');
    expect(otherLanguage('en')).toBe('nl');
  });
});
