/**
 * Server-sent events of `/api/v1/live` (HTML Living Standard §9.2 event stream format) and the state the UI keeps
 * from them: the latest value of every datastream and the alerts by id.
 */

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** A Liveobservatie: one stored observation. */
export interface LiveObservation {
  readonly datastream: number;
  readonly observatie: number;
  readonly tijdstip: string;
  readonly resultaat: number | null;
}

/** An Alarm as the platform reports it when raised or cleared. */
export interface Alarm {
  readonly id: number;
  readonly drempel: number;
  readonly datastream: number;
  readonly naam: string;
  readonly ernst: string;
  readonly status: 'actief' | 'opgeheven';
  readonly gemeldOp: string;
  readonly opgehevenOp?: string | null;
}

/**
 * Splits an event stream into events. Feed it chunks as they arrive; it returns the complete events and keeps the
 * unfinished rest. Lines are `field: value`; a blank line ends an event; `:` starts a comment; `data` lines join with
 * a line feed; an event without a name is a `message`.
 */
export class SseParser {
  #buffer = '';

  push(chunk: string): SseEvent[] {
    this.#buffer += chunk;
    const events: SseEvent[] = [];
    const blocks = this.#buffer.replace(/\r\n?/g, '\n').split('\n\n');
    this.#buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) {
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          event = value;
        } else if (field === 'data') {
          data.push(value);
        }
      }
      if (data.length > 0 || event !== 'message') {
        events.push({ event, data: data.join('\n') });
      }
    }
    return events;
  }
}

/** How many cleared alerts the list shows (and the page reads of the history when it opens): the most recent. */
export const alarmHistoryLength = 20;

/**
 * The one read of the alerts when the live stream opens: the newest {@link alarmHistoryLength} of the history and, with
 * `metActief=true`, every active alert that is older (the server answers this path at start-up too,
 * src/Tweeling.Server/Hosting/FirstViewRequestsWarmUp.cs).
 */
export const alarmsAtOpenPath = `/api/v1/alarmen?limit=${alarmHistoryLength}&metActief=true`;

/** The live state: latest observation per datastream (the newest by time wins) and alerts, active first. */
export class LiveState {
  readonly #latest = new Map<number, LiveObservation>();
  readonly #alarms = new Map<number, Alarm>();

  /** Applies one event; returns whether anything shown changed. */
  apply(event: SseEvent): boolean {
    if (event.event === 'observatie') {
      const observation = JSON.parse(event.data) as LiveObservation;
      const known = this.#latest.get(observation.datastream);
      if (known && known.tijdstip > observation.tijdstip) {
        return false;
      }
      this.#latest.set(observation.datastream, observation);
      return true;
    }
    if (event.event === 'alarm') {
      const alarm = JSON.parse(event.data) as Alarm;
      this.#alarms.set(alarm.id, alarm);
      return true;
    }
    return false;
  }

  /** The latest observations, newest first, at most `limit`. */
  latest(limit = 20): LiveObservation[] {
    return [...this.#latest.values()].sort((a, b) => b.tijdstip.localeCompare(a.tijdstip) || a.datastream - b.datastream).slice(0, limit);
  }

  /** The latest observation of `datastream`. */
  of(datastream: number): LiveObservation | undefined {
    return this.#latest.get(datastream);
  }

  /**
   * Replaces every known alert with `alarms` (when a stream opens: the active ones and the newest of the history, so
   * what changed while away is then right and alerts cleared before the page opened are still listed).
   */
  resetAlarms(alarms: readonly Alarm[]): void {
    this.#alarms.clear();
    for (const alarm of alarms) {
      this.#alarms.set(alarm.id, alarm);
    }
  }

  /** The datastreams that have an active alert now. */
  alarmedDatastreams(): Set<number> {
    return new Set([...this.#alarms.values()].filter((a) => a.status === 'actief').map((a) => a.datastream));
  }

  /** Every active alert, then the `clearedLimit` most recently raised cleared ones: most recent first within each. */
  alarms(clearedLimit = alarmHistoryLength): Alarm[] {
    const newestFirst = [...this.#alarms.values()].sort((a, b) => b.gemeldOp.localeCompare(a.gemeldOp));
    return [...newestFirst.filter((a) => a.status === 'actief'), ...newestFirst.filter((a) => a.status !== 'actief').slice(0, clearedLimit)];
  }
}

/** A point of a history chart: time in ms since the epoch and the value. */
export interface HistoryPoint {
  readonly t: number;
  readonly v: number;
}

/** The SVG path (`M x y L …`) of `points` scaled into `width` × `height`, oldest at the left, the highest value at the top. */
export function historyPath(points: readonly HistoryPoint[], width: number, height: number): string {
  if (points.length === 0) {
    return '';
  }
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t0 = sorted[0]!.t;
  const t1 = sorted[sorted.length - 1]!.t;
  const v0 = Math.min(...sorted.map((p) => p.v));
  const v1 = Math.max(...sorted.map((p) => p.v));
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * width);
  const y = (v: number) => (v1 === v0 ? height / 2 : height - ((v - v0) / (v1 - v0)) * height);
  return sorted.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)} ${y(p.v).toFixed(1)}`).join(' ');
}
