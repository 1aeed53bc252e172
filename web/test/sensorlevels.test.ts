import { describe, expect, it } from 'vitest';
import { LiveState, type Alarm } from '../src/live/events';
import { sensorLevels, type SensorItem } from '../src/live/levels';

function sensor(id: string, datastream: number, quantity: string | null, eenheid: string, laatsteWaarde: number | null): SensorItem {
  return {
    id,
    geometry: { type: 'Point', coordinates: [4.67, 51.81] },
    properties: { naam: `Sensor ${id}`, datastreams: [{ id: datastream, naam: `Meetreeks ${datastream}`, waargenomenGrootheid: quantity, eenheid, laatsteWaarde }] },
  };
}

function alarm(id: number, datastream: number, status: 'actief' | 'opgeheven'): Alarm {
  return { id, drempel: 1, datastream, naam: 'EU-uurgrenswaarde NO2', ernst: 'waarschuwing', status, gemeldOp: '2025-03-01T12:00:00Z' };
}

const observation = (datastream: number, resultaat: number) => ({
  event: 'observatie',
  data: JSON.stringify({ datastream, observatie: 1, tijdstip: '2025-03-01T12:00:00Z', resultaat }),
});

describe('sensorLevels', () => {
  const items = [sensor('1', 11, 'NO2', 'µg/m³', 20), sensor('2', 12, 'NO2', 'µg/m³', 40), sensor('3', 13, 'NO2', 'µg/m³', 30), sensor('4', 14, 'Scheefstand', 'mm/m', 2.1), sensor('5', 15, 'Drukte', 'personen', null)];

  it('places each value between the lowest and highest of sensors measuring the same quantity', () => {
    const levels = sensorLevels(items, new LiveState());
    expect(levels.get('1')).toEqual({ waarde: 20, niveau: 0, alarm: false });
    expect(levels.get('2')?.niveau).toBe(1);
    expect(levels.get('3')?.niveau).toBe(0.5);
    // Alone in its quantity: the middle, not the top of an unrelated NO2 scale.
    expect(levels.get('4')?.niveau).toBe(0.5);
    expect(levels.get('5')).toEqual({ waarde: null, niveau: null, alarm: false });
  });

  it('follows live values as they arrive', () => {
    const state = new LiveState();
    state.apply(observation(11, 60));
    state.apply(observation(15, 120));
    const levels = sensorLevels(items, state);
    expect(levels.get('1')).toEqual({ waarde: 60, niveau: 1, alarm: false });
    expect(levels.get('2')?.niveau).toBeCloseTo(1 / 3);
    expect(levels.get('3')?.niveau).toBe(0);
    expect(levels.get('5')).toEqual({ waarde: 120, niveau: 0.5, alarm: false });
  });

  it('marks a sensor while an alert on one of its datastreams is active, and no longer once it is cleared', () => {
    const state = new LiveState();
    state.apply({ event: 'alarm', data: JSON.stringify(alarm(7, 12, 'actief')) });
    expect(sensorLevels(items, state).get('2')?.alarm).toBe(true);
    expect([...sensorLevels(items, state).values()].filter((l) => l.alarm)).toHaveLength(1);
    state.apply({ event: 'alarm', data: JSON.stringify(alarm(7, 12, 'opgeheven')) });
    expect(sensorLevels(items, state).get('2')?.alarm).toBe(false);
  });
});

describe('LiveState alarms on reconnect', () => {
  it('replaces what it knew with the active alerts, so an alert cleared while away is gone', () => {
    const state = new LiveState();
    state.apply({ event: 'alarm', data: JSON.stringify(alarm(1, 11, 'actief')) });
    state.resetAlarms([alarm(2, 13, 'actief')]);
    expect([...state.alarmedDatastreams()]).toEqual([13]);
    expect(state.alarms().map((a) => a.id)).toEqual([2]);
  });
});
