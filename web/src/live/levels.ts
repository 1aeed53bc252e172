import type { LiveState } from './events';

/** A Datastream of a sensor as `/ogc/collections/sensoren/items` lists it. */
export interface SensorDatastream {
  readonly id: number;
  readonly naam: string;
  readonly waargenomenGrootheid: string | null;
  readonly eenheid: string;
  readonly laatsteWaarde: number | null;
}

/** A sensor (a SensorThings Thing with a point Location) as `/ogc/collections/sensoren/items` gives it. */
export interface SensorItem {
  readonly id: string;
  readonly geometry: { readonly type: string; readonly coordinates: unknown } | null;
  readonly properties: { readonly naam?: string; readonly datastreams?: readonly SensorDatastream[] } & Record<string, unknown>;
}

/** What the map shows of one sensor: its latest value, that value's place among like sensors, and an alarm. */
export interface SensorLevel {
  /** The latest result of the sensor's first Datastream, live when one arrived, else as the items gave it. */
  readonly waarde: number | null;
  /** 0 for the lowest, 1 for the highest latest value among the sensors that measure the same quantity; `null` without a value. */
  readonly niveau: number | null;
  /** Whether any of its Datastreams has an active alert. */
  readonly alarm: boolean;
}

/**
 * The level of every sensor. A value only means something next to values of the same quantity (a NO2
 * concentration in µg/m³ next to a tilt in mm/m says nothing), so each sensor's value is placed between the
 * lowest and highest latest value of the sensors whose first Datastream observes the same property (or, without
 * one, has the same unit); a quantity measured by one sensor, or by sensors that all agree, sits in the middle.
 */
export function sensorLevels(items: readonly SensorItem[], state: LiveState): Map<string, SensorLevel> {
  const alarmed = state.alarmedDatastreams();
  const values = items.map((item) => {
    const first = item.properties.datastreams?.[0];
    const live = first ? state.of(first.id) : undefined;
    const waarde = live && live.resultaat !== null ? live.resultaat : (first?.laatsteWaarde ?? null);
    return { item, quantity: first ? (first.waargenomenGrootheid ?? first.eenheid) : null, waarde };
  });
  const ranges = new Map<string, { min: number; max: number }>();
  for (const { quantity, waarde } of values) {
    if (quantity === null || waarde === null) {
      continue;
    }
    const range = ranges.get(quantity);
    ranges.set(quantity, range ? { min: Math.min(range.min, waarde), max: Math.max(range.max, waarde) } : { min: waarde, max: waarde });
  }
  const levels = new Map<string, SensorLevel>();
  for (const { item, quantity, waarde } of values) {
    const range = quantity === null ? undefined : ranges.get(quantity);
    const niveau = waarde === null || !range ? null : range.max === range.min ? 0.5 : (waarde - range.min) / (range.max - range.min);
    const alarm = (item.properties.datastreams ?? []).some((d) => alarmed.has(d.id));
    levels.set(item.id, { waarde, niveau, alarm });
  }
  return levels;
}
