import type { ApiClient } from '../api';
import type { SensorItem } from './levels';

/** The sensors the caller may see, with the latest value of each datastream. */
export const sensorItemsPath = '/ogc/collections/sensoren/items?limit=1000';

/** One load of the sensors: for which credentials, when it started (ms on `now`'s clock) and its answer. */
interface Load {
  readonly credentials: string;
  readonly startedAt: number;
  readonly items: Promise<readonly SensorItem[]>;
}

/**
 * The one load of the sensors that the map's points and the live panel share (issue 5: the page used to ask for
 * `/ogc/collections/sensoren/items` twice at start, seconds apart, so sharing a GET in flight did not merge them).
 * A load is kept for as long as the credentials stay the same, so whoever asks second gets the first one's answer;
 * after sign-in or sign-out the next caller loads anew. The live panel asks for a load that started after its
 * event stream opened (`notBefore`), so no value stored in between is missed; the map takes any load.
 */
export class SensorItems {
  #load: Load | null = null;
  readonly #listeners = new Set<(items: readonly SensorItem[]) => void>();

  constructor(
    private readonly api: ApiClient,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The sensors, from a load with the current credentials that started at or after `notBefore` (on `now`'s clock);
   * starts one when there is none. A failed load is forgotten, so the next call tries again.
   */
  load(notBefore = Number.NEGATIVE_INFINITY): Promise<readonly SensorItem[]> {
    const credentials = JSON.stringify(this.api.headers());
    const current = this.#load;
    if (current && current.credentials === credentials && current.startedAt >= notBefore) {
      return current.items;
    }
    const startedAt = this.now();
    const items = this.api.get<{ features: SensorItem[] }>(sensorItemsPath).then((answer) => answer.features);
    const load: Load = { credentials, startedAt, items };
    this.#load = load;
    items.then(
      (loaded) => {
        // Only the newest load speaks: an older one that answers late would show stale sensors.
        if (this.#load === load) {
          for (const listener of [...this.#listeners]) {
            listener(loaded);
          }
        }
      },
      () => {
        if (this.#load === load) {
          this.#load = null;
        }
      },
    );
    return items;
  }

  /** The load with the current credentials if one has started, without starting one. */
  started(): Promise<readonly SensorItem[]> | null {
    const current = this.#load;
    return current && current.credentials === JSON.stringify(this.api.headers()) ? current.items : null;
  }

  /** Calls `listener` with the sensors of every load that succeeds from now on; returns the function that stops it. */
  subscribe(listener: (items: readonly SensorItem[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
