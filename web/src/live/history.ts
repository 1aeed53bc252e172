import type { HistoryPoint } from './events';

/**
 * A sensor's history for a chosen period: the window a period stands for (ending at the reference date the time
 * slider set, or now), the request for one Datastream's values in it, and the hourly table that stands in for the
 * chart. The last day is read as observations (SensorThings), drawn one by one; a week or a month as the hourly
 * aggregates the platform keeps at ingest (`/api/v1/sensoren/{sensor}/reeksen/{reeks}/aggregaten`), 168 or 720 hours
 * however many observations they hold, drawn as hourly means. A from–to range of dates is read the same way by its
 * length ({@link readOf}), and as daily aggregates beyond 31 days.
 */

/** The periods the panel offers, with their length in hours. */
export const periods = { dag: 24, week: 7 * 24, maand: 30 * 24 } as const;

export type Period = keyof typeof periods;

export const defaultPeriod: Period = 'dag';

/**
 * The most observations read per Datastream for a period read as observations (a day): a day of one reading every
 * 30 seconds fits; a denser stream shows its newest ones and says so.
 */
export const maxObservations = 3_000;

const hourMs = 3_600_000;

export interface HistoryWindow {
  readonly from: Date;
  readonly to: Date;
}

/**
 * The window of `period` ending at the end of `peildatum` (a past reference date of the time slider, `YYYY-MM-DD`,
 * read as a UTC day, as the platform's `datetime` is) or at `now` when there is none or it is today.
 */
export function historyWindow(period: Period, peildatum: string | undefined, now: Date): HistoryWindow {
  const endOfDay = peildatum ? Date.parse(`${peildatum}T00:00:00Z`) + 24 * hourMs : Number.NaN;
  const to = Number.isNaN(endOfDay) ? now.getTime() : Math.min(endOfDay, now.getTime());
  return { from: new Date(to - periods[period] * hourMs), to: new Date(to) };
}

/** The choice of `#sensorperiode` that asks for a from–to range of dates instead of one of the {@link periods}. */
export const customPeriod = 'eigen';

/**
 * The longest from–to range, in days: the aggregates endpoint answers at most `Aggregaten.MaxBuckets` (744) buckets,
 * so 744 days read as daily aggregates.
 */
export const maxCustomDays = 31 * 24;

/** Why a from–to range cannot be shown: a date missing or unreadable, the end before the start, or too long. */
export type RangeProblem = 'incomplete' | 'reversed' | 'toolong';

/**
 * The window of a from–to choice of dates (`YYYY-MM-DD`, as `<input type=date>` gives them, read as UTC days as the
 * platform's times are): from the start of `from` to the end of `to`, or to `now` when that is earlier; or why not.
 */
export function customWindow(from: string, to: string, now: Date): HistoryWindow | RangeProblem {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(from) ? Date.parse(`${from}T00:00:00Z`) : Number.NaN;
  const endOfDay = /^\d{4}-\d{2}-\d{2}$/.test(to) ? Date.parse(`${to}T00:00:00Z`) + 24 * hourMs : Number.NaN;
  if (Number.isNaN(start) || Number.isNaN(endOfDay)) {
    return 'incomplete';
  }
  const end = Math.min(endOfDay, now.getTime());
  if (end <= start) {
    return 'reversed';
  }
  if (end - start > maxCustomDays * 24 * hourMs) {
    return 'toolong';
  }
  return { from: new Date(start), to: new Date(end) };
}

/**
 * How a window is read: up to a day as observations (each drawn); up to 31 days as hourly aggregates, complete however
 * dense the stream; longer as daily aggregates (the endpoint's 744 buckets are 31 days of hours).
 */
export type HistoryRead = 'waarnemingen' | 'uur' | 'dag';

export function readOf(window: HistoryWindow): HistoryRead {
  const hours = (window.to.getTime() - window.from.getTime()) / hourMs;
  return hours <= periods.dag ? 'waarnemingen' : hours <= periods.maand + 24 ? 'uur' : 'dag';
}

/** Whether `text` names one of the offered periods. */
export function isPeriod(text: string): text is Period {
  return Object.hasOwn(periods, text);
}

/**
 * The SensorThings request for Datastream `id`'s observations in `window`, newest first, at most
 * {@link maxObservations}, with the number in the window (`@iot.count`) to tell whether the answer was cut.
 */
export function observationsPath(id: number, window: HistoryWindow): string {
  const filter = `phenomenonTime ge ${window.from.toISOString()} and phenomenonTime le ${window.to.toISOString()}`;
  const query = [
    `$filter=${encodeURIComponent(filter)}`,
    `$orderby=${encodeURIComponent('phenomenonTime desc')}`,
    `$top=${maxObservations}`,
    '$count=true',
    '$select=phenomenonTime,result',
  ].join('&');
  return `/sta/v1.1/Datastreams(${id})/Observations?${query}`;
}

/** The platform request for the hourly (or daily) aggregates of Datastream `datastream` of Thing `thing` in `window`. */
export function aggregatesPath(thing: string, datastream: number, window: HistoryWindow, interval: 'uur' | 'dag' = 'uur'): string {
  const query = new URLSearchParams({ interval, van: window.from.toISOString(), tot: window.to.toISOString() });
  return `/api/v1/sensoren/${encodeURIComponent(thing)}/reeksen/${datastream}/aggregaten?${query.toString()}`;
}

/** One hour of `/api/v1/sensoren/{sensor}/reeksen/{reeks}/aggregaten`. */
export interface Aggregate {
  readonly begin: string;
  readonly aantal: number;
  readonly min: number;
  readonly max: number;
  readonly gemiddelde: number;
}

/** The aggregates as the table's rows (an hour or a day each), oldest first. */
export function rowsOfAggregates(aggregates: readonly Aggregate[]): HourRow[] {
  return aggregates
    .map((a) => ({ start: Date.parse(a.begin), count: a.aantal, mean: a.gemiddelde, min: a.min, max: a.max }))
    .filter((row) => !Number.isNaN(row.start))
    .sort((a, b) => a.start - b.start);
}

/** The chart's points of hourly rows: each hour's mean at the hour's start. */
export function pointsOfRows(rows: readonly HourRow[]): HistoryPoint[] {
  return rows.map((row) => ({ t: row.start, v: row.mean }));
}

/** One observation as SensorThings returns it; an interval's start is its time, a non-numeric result is left out. */
export function pointsOf(observations: readonly { phenomenonTime: string; result: unknown }[]): HistoryPoint[] {
  return observations
    .filter((o): o is { phenomenonTime: string; result: number } => typeof o.result === 'number' && Number.isFinite(o.result))
    .map((o) => ({ t: Date.parse(o.phenomenonTime.split('/')[0]!), v: o.result }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
}

/** One hour of a history: its start (ms since the epoch, UTC-aligned), the number of values, their mean, lowest and highest. */
export interface HourRow {
  readonly start: number;
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** The points grouped by UTC hour, oldest first: the table alternative of a chart, a day in 24 rows. */
export function hourlyRows(points: readonly HistoryPoint[]): HourRow[] {
  const hours = new Map<number, number[]>();
  for (const p of points) {
    const start = Math.floor(p.t / hourMs) * hourMs;
    const values = hours.get(start);
    if (values) {
      values.push(p.v);
    } else {
      hours.set(start, [p.v]);
    }
  }
  return [...hours.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, values]) => ({
      start,
      count: values.length,
      mean: values.reduce((sum, v) => sum + v, 0) / values.length,
      min: Math.min(...values),
      max: Math.max(...values),
    }));
}

/** How many values the rows hold, their lowest and their highest, or `null` when there are none. */
export function summaryOf(rows: readonly HourRow[]): { count: number; min: number; max: number } | null {
  if (rows.length === 0) {
    return null;
  }
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    count += row.count;
    min = Math.min(min, row.min);
    max = Math.max(max, row.max);
  }
  return { count, min, max };
}
