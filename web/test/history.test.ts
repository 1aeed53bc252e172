import { describe, expect, it } from 'vitest';
import { aggregatesPath, customWindow, historyWindow, hourlyRows, isPeriod, maxCustomDays, maxObservations, observationsPath, pointsOf, pointsOfRows, readOf, rowsOfAggregates, summaryOf } from '../src/live/history';

const now = new Date('2026-12-01T10:30:00Z');
const hour = 3_600_000;

describe('the history window', () => {
  it('is the last 24 hours, 7 or 30 days up to now when no past date is chosen', () => {
    expect(historyWindow('dag', undefined, now)).toEqual({ from: new Date('2026-11-30T10:30:00Z'), to: now });
    expect(historyWindow('week', undefined, now).from).toEqual(new Date('2026-11-24T10:30:00Z'));
    expect(historyWindow('maand', undefined, now).from).toEqual(new Date('2026-11-01T10:30:00Z'));
  });

  it('ends at the end of a past reference date, and never after now', () => {
    expect(historyWindow('dag', '2026-11-20', now)).toEqual({ from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') });
    expect(historyWindow('dag', '2026-12-01', now).to).toEqual(now);
    expect(historyWindow('dag', 'geen-datum', now).to).toEqual(now);
  });

  it('knows its periods', () => {
    expect(['dag', 'week', 'maand'].every(isPeriod)).toBe(true);
    expect(isPeriod('jaar')).toBe(false);
    expect(isPeriod('toString')).toBe(false);
  });
});

describe('the SensorThings request', () => {
  it('filters on phenomenonTime within the window, newest first, capped, with the count', () => {
    const path = observationsPath(7, { from: new Date('2026-11-30T10:30:00Z'), to: now });
    const url = new URL(path, 'http://x');
    expect(url.pathname).toBe('/sta/v1.1/Datastreams(7)/Observations');
    expect(url.searchParams.get('$filter')).toBe('phenomenonTime ge 2026-11-30T10:30:00.000Z and phenomenonTime le 2026-12-01T10:30:00.000Z');
    expect(url.searchParams.get('$orderby')).toBe('phenomenonTime desc');
    expect(url.searchParams.get('$top')).toBe(String(maxObservations));
    expect(url.searchParams.get('$count')).toBe('true');
    // A day of one reading every 30 seconds fits under the cap.
    expect(maxObservations).toBeGreaterThanOrEqual(24 * 120);
  });
});

describe('the points and the hourly table', () => {
  const observations = [
    { phenomenonTime: '2026-12-01T10:15:00Z', result: 4 },
    { phenomenonTime: '2026-12-01T09:45:00Z/2026-12-01T10:00:00Z', result: 3 },
    { phenomenonTime: '2026-12-01T09:00:00Z', result: 1 },
    { phenomenonTime: '2026-12-01T10:00:00Z', result: 'storing' },
    { phenomenonTime: 'geen tijd', result: 9 },
  ];

  it('keeps numeric results in time order, an interval at its start', () => {
    expect(pointsOf(observations)).toEqual([
      { t: Date.parse('2026-12-01T09:00:00Z'), v: 1 },
      { t: Date.parse('2026-12-01T09:45:00Z'), v: 3 },
      { t: Date.parse('2026-12-01T10:15:00Z'), v: 4 },
    ]);
  });

  it('groups them by hour with mean, lowest, highest and count', () => {
    const rows = hourlyRows(pointsOf(observations));
    expect(rows).toEqual([
      { start: Date.parse('2026-12-01T09:00:00Z'), count: 2, mean: 2, min: 1, max: 3 },
      { start: Date.parse('2026-12-01T10:00:00Z'), count: 1, mean: 4, min: 4, max: 4 },
    ]);
    expect(rows[1]!.start - rows[0]!.start).toBe(hour);
    expect(summaryOf(rows)).toEqual({ count: 3, min: 1, max: 4 });
    expect(summaryOf([])).toBeNull();
    expect(hourlyRows([])).toEqual([]);
  });
});

describe('a week or a month from the hourly aggregates', () => {
  it('reads a day as observations and every longer period as aggregates', () => {
    expect(readOf(historyWindow('dag', undefined, now))).toBe('waarnemingen');
    expect(readOf(historyWindow('week', undefined, now))).toBe('uur');
    expect(readOf(historyWindow('maand', undefined, now))).toBe('uur');
  });

  it('asks the platform for the hours of the window, of the Datastream of the Thing', () => {
    const url = new URL(aggregatesPath('12', 7, historyWindow('week', undefined, now)), 'http://x');
    expect(url.pathname).toBe('/api/v1/sensoren/12/reeksen/7/aggregaten');
    expect(url.searchParams.get('interval')).toBe('uur');
    expect(url.searchParams.get('van')).toBe('2026-11-24T10:30:00.000Z');
    expect(url.searchParams.get('tot')).toBe('2026-12-01T10:30:00.000Z');
  });

  it('turns the hours into the table, oldest first, the chart as hourly means, and the summary over every observation', () => {
    const rows = rowsOfAggregates([
      { begin: '2026-12-01T09:00:00+00:00', aantal: 4, min: 2, max: 8, gemiddelde: 5 },
      { begin: '2026-11-28T12:00:00+00:00', aantal: 1, min: 80, max: 80, gemiddelde: 80 },
    ]);
    expect(rows).toEqual([
      { start: Date.parse('2026-11-28T12:00:00Z'), count: 1, mean: 80, min: 80, max: 80 },
      { start: Date.parse('2026-12-01T09:00:00Z'), count: 4, mean: 5, min: 2, max: 8 },
    ]);
    expect(pointsOfRows(rows)).toEqual([
      { t: Date.parse('2026-11-28T12:00:00Z'), v: 80 },
      { t: Date.parse('2026-12-01T09:00:00Z'), v: 5 },
    ]);
    expect(summaryOf(rows)).toEqual({ count: 5, min: 2, max: 80 });
  });
});

describe('a from–to range of dates', () => {
  it('runs from the start of the first day to the end of the last (UTC), or to now when that is earlier', () => {
    expect(customWindow('2026-11-20', '2026-11-22', now)).toEqual({ from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') });
    expect(customWindow('2026-11-30', '2026-12-01', now)).toEqual({ from: new Date('2026-11-30T00:00:00Z'), to: now });
    expect(customWindow('2026-11-20', '2026-11-20', now)).toEqual({ from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') });
  });

  it('says why a range cannot be shown: a date missing, the end before the start, longer than the aggregates reach', () => {
    expect(customWindow('', '2026-11-20', now)).toBe('incomplete');
    expect(customWindow('2026-11-20', 'gisteren', now)).toBe('incomplete');
    expect(customWindow('2026-11-21', '2026-11-20', now)).toBe('reversed');
    expect(customWindow('2026-12-05', '2026-12-09', now)).toBe('reversed');
    expect(customWindow('2024-11-01', '2026-11-30', now)).toBe('toolong');
    expect(customWindow('2024-11-18', '2026-11-30', now)).not.toBe('toolong');
    expect(maxCustomDays).toBe(744);
  });

  it('is read by its length: a day as observations, up to 31 days as hourly aggregates, longer as daily ones', () => {
    const read = (from: string, to: string) => {
      const window = customWindow(from, to, now);
      return typeof window === 'string' ? window : readOf(window);
    };
    expect(read('2026-11-20', '2026-11-20')).toBe('waarnemingen');
    expect(read('2026-11-20', '2026-11-21')).toBe('uur');
    expect(read('2026-10-31', '2026-11-30')).toBe('uur');
    expect(read('2026-10-30', '2026-11-30')).toBe('dag');
    const long = customWindow('2026-01-01', '2026-11-30', now);
    expect(typeof long).toBe('object');
    const url = new URL(aggregatesPath('12', 7, long as Exclude<typeof long, string>, 'dag'), 'http://x');
    expect(url.searchParams.get('interval')).toBe('dag');
    expect(url.searchParams.get('van')).toBe('2026-01-01T00:00:00.000Z');
  });
});
