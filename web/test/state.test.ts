import { describe, expect, it } from 'vitest';
import { defaultRoute, formatHash, isIsoDate, parseHash } from '../src/state';

describe('URL state', () => {
  it('defaults to the map', () => {
    expect(parseHash('')).toEqual({ route: defaultRoute });
    expect(parseHash('#')).toEqual({ route: '#/kaart' });
    expect(parseHash('#inhoud')).toEqual({ route: '#/kaart' });
  });

  it('reads the route, layers, colouring, selection, language and date', () => {
    expect(parseHash('#/kaart?lagen=panden,buurten&kleur=buurten:inwoners&object=panden/P%2F1&taal=en&peildatum=2024-02-29')).toEqual({
      route: '#/kaart',
      layers: ['panden', 'buurten'],
      colour: 'buurten:inwoners',
      selected: { collection: 'panden', id: 'P/1' },
      language: 'en',
      peildatum: '2024-02-29',
    });
    expect(parseHash('#/dashboards/armoede').route).toBe('#/dashboards/armoede');
  });

  it('leaves out what it does not understand', () => {
    expect(parseHash('#/kaart?lagen=panden,<script>,&taal=de&peildatum=2023-02-29&object=zonder-id')).toEqual({ route: '#/kaart', layers: ['panden'] });
  });

  it('writes one URL per state and reads it back unchanged', () => {
    const state = { route: '#/kaart', layers: ['panden', 'wegvakken'], colour: 'panden:hoogte', selected: { collection: 'buurten', id: 'BU05050101' }, language: 'en' as const };
    const hash = formatHash(state);
    expect(hash).toBe('#/kaart?lagen=panden,wegvakken&kleur=panden:hoogte&object=buurten/BU05050101&taal=en');
    expect(parseHash(hash)).toEqual(state);
    expect(formatHash({ route: '#/kaart', language: 'nl' })).toBe('#/kaart');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-1')).toBe(false);
  });
});
