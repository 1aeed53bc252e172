import { describe, expect, it } from 'vitest';
import { resultsMessages } from '../src/scenario/results-messages';
import { rdToCrs84 } from '../src/scenario/rd';
import {
  defaultIndicator,
  deltaClassOf,
  divergingClasses,
  formatResultsHash,
  groupByDomain,
  niceStep,
  parseResultsHash,
  purpleOrange,
  redBlue,
  type ResultsState,
} from '../src/scenario/results-model';

describe('the results view state in the hash', () => {
  it('round-trips every member: scenario, comparison, indicator and map view', () => {
    const state: ResultsState = { scenario: { id: 12, versie: 3 }, compare: { id: 7, versie: 1 }, indicator: 'huisarts-tekort', view: { zoom: 13.25, lat: 51.81234, lon: 4.65432 } };
    const hash = formatResultsHash(state);
    expect(hash).toBe('#/scenarios/resultaat?scenario=12:3&vergelijk=7:1&indicator=huisarts-tekort&kaart=13.25/51.81234/4.65432');
    expect(parseResultsHash(hash)).toEqual(state);
    expect(formatResultsHash(parseResultsHash(hash))).toBe(hash);
  });

  it('writes one link per view: the camera is rounded to 0.01 zoom and 5 decimals (about 1 m)', () => {
    const hash = formatResultsHash({ scenario: { id: 1, versie: 1 }, view: { zoom: 12.3456789, lat: 51.123456789, lon: 4.987654321 } });
    expect(hash).toBe('#/scenarios/resultaat?scenario=1:1&kaart=12.35/51.12346/4.98765');
  });

  it('leaves out what it does not understand, and a route without parameters has no state', () => {
    expect(parseResultsHash('#/scenarios/resultaat')).toEqual({});
    expect(parseResultsHash('#/scenarios/resultaat?scenario=abc&vergelijk=1:0&indicator=<script>&kaart=99/0/0')).toEqual({});
    expect(parseResultsHash('#/scenarios/resultaat?scenario=4:2&kaart=12/95/4')).toEqual({ scenario: { id: 4, versie: 2 } });
    expect(formatResultsHash({})).toBe('#/scenarios/resultaat');
  });
});

describe('diverging classes of a delta', () => {
  it('are symmetric around 0 with a middle class for no change alone', () => {
    const classes = divergingClasses([-0.4, 0, 1.7, 2.9, null, undefined, Number.NaN], 'lager-is-beter');
    expect(classes).toHaveLength(7);
    // 2.9 / 3 = 0.97 → step 1: −3…−2, −2…−1, −1…0, 0, 0…1, 1…2, 2…3.
    expect(classes.map((c) => [c.from, c.to])).toEqual([[-3, -2], [-2, -1], [-1, 0], [0, 0], [0, 1], [1, 2], [2, 3]]);
    for (let i = 0; i < 3; i++) {
      expect(classes[i]!.from + classes[6 - i]!.to).toBe(0);
      expect(classes[i]!.to + classes[6 - i]!.from).toBe(0);
    }
    expect(deltaClassOf(classes, 0)).toBe(classes[3]);
    expect(deltaClassOf(classes, 1e-12)).toBe(classes[3]);
    expect(deltaClassOf(classes, 0.5)).toBe(classes[4]);
    expect(deltaClassOf(classes, -0.5)).toBe(classes[2]);
    // A value on a break goes to the class farther from 0, on either side alike.
    expect(deltaClassOf(classes, 1)).toBe(classes[5]);
    expect(deltaClassOf(classes, -1)).toBe(classes[1]);
    expect(deltaClassOf(classes, 3)).toBe(classes[6]);
    expect(deltaClassOf(classes, -3)).toBe(classes[0]);
    expect(deltaClassOf(classes, null)).toBeNull();
  });

  it('cover the largest change on the side where it is not, so both sides read alike', () => {
    const classes = divergingClasses([5, 12, 0.2], 'hoger-is-beter');
    expect(classes[0]!.from).toBe(-15);
    expect(classes[6]!.to).toBe(15);
  });

  it('judge by the indicator’s desirable direction, and do not judge a neutral indicator', () => {
    const lower = divergingClasses([-2, 2], 'lager-is-beter');
    expect(lower[0]!.judgement).toBe('beter');
    expect(lower[6]!.judgement).toBe('slechter');
    expect(lower[6]!.colour).toBe(redBlue[0]);
    expect(lower[0]!.colour).toBe(redBlue[6]);
    const higher = divergingClasses([-2, 2], 'hoger-is-beter');
    expect(higher[0]!.judgement).toBe('slechter');
    expect(higher[6]!.judgement).toBe('beter');
    expect(higher[6]!.colour).toBe(redBlue[6]);
    const neutral = divergingClasses([-2, 2], 'neutraal');
    expect(neutral.map((c) => c.colour)).toEqual([...purpleOrange]);
    expect(new Set(neutral.filter((c) => c.judgement !== 'geen').map((c) => c.judgement))).toEqual(new Set(['neutraal']));
  });

  it('are one "no change" class when nothing changes', () => {
    const classes = divergingClasses([0, 0, null], 'lager-is-beter');
    expect(classes).toHaveLength(1);
    expect(classes[0]!.judgement).toBe('geen');
    expect(deltaClassOf(classes, 0)).toBe(classes[0]);
  });

  it('take a step of 1, 2, 2.5 or 5 × 10^k', () => {
    expect(niceStep(3)).toBe(1);
    expect(niceStep(0.3)).toBe(0.1);
    expect(niceStep(3.1)).toBe(2);
    expect(niceStep(7)).toBe(2.5);
    expect(niceStep(14)).toBe(5);
    expect(niceStep(2000)).toBe(1000);
    expect(niceStep(0)).toBe(0);
  });
});

describe('indicators by domain', () => {
  it('follow the impact matrix’s domain order, keep the run’s order within a domain, and keep unknown domains last', () => {
    const indicators = [
      { id: 'no2', domein: 'milieu' },
      { id: 'inwoners', domein: 'sociaal' },
      { id: 'nieuw', domein: 'zorg' },
      { id: 'autoritten', domein: 'mobiliteit' },
      { id: 'pm10', domein: 'milieu' },
      { id: 'huishoudens', domein: 'sociaal' },
    ];
    expect(groupByDomain(indicators).map(([domain, list]) => [domain, list.map((i) => i.id)])).toEqual([
      ['sociaal', ['inwoners', 'huishoudens']],
      ['mobiliteit', ['autoritten']],
      ['milieu', ['no2', 'pm10']],
      ['zorg', ['nieuw']],
    ]);
  });
});

describe('the results view’s texts', () => {
  it('have the same keys in Dutch and English, none empty', () => {
    expect(Object.keys(resultsMessages.en).sort()).toEqual(Object.keys(resultsMessages.nl).sort());
    for (const table of Object.values(resultsMessages)) {
      for (const text of Object.values(table)) {
        expect(text.trim()).not.toBe('');
      }
    }
  });
});

describe('RD New to CRS84', () => {
  it('gives Amersfoort’s origin and the Martinitoren in Groningen their published WGS84 positions', () => {
    const [lon0, lat0] = rdToCrs84(155_000, 463_000);
    expect(lon0).toBeCloseTo(5.38720621, 8);
    expect(lat0).toBeCloseTo(52.1551744, 8);
    // Martinitoren: RD x 233,883.131, y 582,065.167 is 53.219383°N 6.568200°E (the formula's own check point).
    const [lon, lat] = rdToCrs84(233_883.131, 582_065.167);
    expect(lon).toBeCloseTo(6.5682, 5);
    expect(lat).toBeCloseTo(53.219383, 5);
  });
});

describe('the indicator shown first', () => {
  const indicator = (id: string, wenselijk = 'lager-is-beter') => ({ id, titel: id, domein: 'milieu', eenheid: 'x', wenselijk, model: 'm', zekerheid: 'middel', zekerheidToelichting: '' });
  const row = (id: string, relatieveDelta: number | null, beoordeling: string) => ({
    indicator: indicator(id), richting: 'hoger', beoordeling, basis: 1, scenario: 1, delta: 0, relatieveDelta,
    buurtenHoger: 0, buurtenLager: 0, buurtenVergeleken: 1, zekerheid: 'middel', zekerheidToelichting: '',
  });

  it('is the judged indicator whose municipal value moves most, not a reported one that moves more', () => {
    const impact = { drempel: 0.01, domeinen: [
      { domein: 'sociaal', beweegt: true, indicatorenInBeweging: 1, indicatoren: [row('inwoners', 0.5, 'neutraal')] },
      { domein: 'milieu', beweegt: true, indicatorenInBeweging: 2, indicatoren: [row('no2', 0.02, 'slechter'), row('lden-gevel', -0.04, 'beter')] },
    ] };
    expect(defaultIndicator(impact, [indicator('inwoners'), indicator('no2'), indicator('lden-gevel')])).toBe('lden-gevel');
  });

  it('is the first indicator when nothing judged moves', () => {
    const impact = { drempel: 0.01, domeinen: [{ domein: 'milieu', beweegt: false, indicatorenInBeweging: 0, indicatoren: [row('no2', 0, 'gelijk'), row('pm10', null, 'gelijk')] }] };
    expect(defaultIndicator(impact, [indicator('inwoners'), indicator('no2')])).toBe('inwoners');
  });
});
