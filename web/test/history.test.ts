import { describe, expect, it } from 'vitest';
import { extent, historyWindow, hourlyRows, isPeriod, maxObservations, observationsPath, pointsOf } from '../src/live/history';

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
    // A month of the demo's 15-minute readings fits under the cap.
    expect(maxObservations).toBeGreaterThanOrEqual(30 * 96);
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
    expect(extent(pointsOf(observations))).toEqual({ min: 1, max: 4 });
    expect(extent([])).toBeNull();
    expect(hourlyRows([])).toEqual([]);
  });
});
