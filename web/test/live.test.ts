import { describe, expect, it } from 'vitest';
import { LiveState, SseParser, historyPath } from '../src/live/events';

describe('SseParser', () => {
  it('splits events across chunks, joins data lines and skips comments', () => {
    const parser = new SseParser();
    expect(parser.push('event: verbonden\ndata: null\n\n: keep-alive\n\nevent: observatie\ndata: {"datastream":1,')).toEqual([
      { event: 'verbonden', data: 'null' },
    ]);
    expect(parser.push('"observatie":7,"tijdstip":"2025-03-01T12:00:00Z","resultaat":4.5}\r\n\r\ndata: a\ndata: b\n\n')).toEqual([
      { event: 'observatie', data: '{"datastream":1,"observatie":7,"tijdstip":"2025-03-01T12:00:00Z","resultaat":4.5}' },
      { event: 'message', data: 'a\nb' },
    ]);
  });
});

describe('LiveState', () => {
  const observation = (datastream: number, tijdstip: string, resultaat: number) => ({
    event: 'observatie',
    data: JSON.stringify({ datastream, observatie: 1, tijdstip, resultaat }),
  });

  it('keeps the newest observation per datastream, whatever the arrival order', () => {
    const state = new LiveState();
    expect(state.apply(observation(1, '2025-03-01T12:15:00Z', 5))).toBe(true);
    expect(state.apply(observation(1, '2025-03-01T12:00:00Z', 4))).toBe(false);
    state.apply(observation(2, '2025-03-01T12:30:00Z', 9));
    expect(state.of(1)?.resultaat).toBe(5);
    expect(state.latest().map((o) => o.datastream)).toEqual([2, 1]);
    expect(state.apply({ event: 'verbonden', data: 'null' })).toBe(false);
  });

  it('lists active alerts before cleared ones and updates an alert when it is cleared', () => {
    const state = new LiveState();
    const alarm = (id: number, status: string, gemeldOp: string) => ({
      event: 'alarm',
      data: JSON.stringify({ id, drempel: 1, datastream: 1, naam: `A${id}`, ernst: 'waarschuwing', status, gemeldOp }),
    });
    state.apply(alarm(1, 'actief', '2025-03-01T10:00:00Z'));
    state.apply(alarm(2, 'actief', '2025-03-01T11:00:00Z'));
    state.apply(alarm(1, 'opgeheven', '2025-03-01T10:00:00Z'));
    expect(state.alarms().map((a) => [a.id, a.status])).toEqual([
      [2, 'actief'],
      [1, 'opgeheven'],
    ]);
  });

  it('lists every active alert and only the most recently raised cleared ones, from a history read when the stream opens', () => {
    const state = new LiveState();
    const alarm = (id: number, status: 'actief' | 'opgeheven', hour: number) =>
      ({ id, drempel: 1, datastream: id, naam: `A${id}`, ernst: 'waarschuwing', status, gemeldOp: `2025-03-01T${String(hour).padStart(2, '0')}:00:00Z` });
    state.resetAlarms([alarm(1, 'opgeheven', 1), alarm(2, 'opgeheven', 3), alarm(3, 'opgeheven', 2), alarm(4, 'actief', 0), alarm(5, 'actief', 4)]);

    expect(state.alarms(2).map((a) => [a.id, a.status])).toEqual([
      [5, 'actief'],
      [4, 'actief'],
      [2, 'opgeheven'],
      [3, 'opgeheven'],
    ]);
    expect([...state.alarmedDatastreams()].sort()).toEqual([4, 5]);
  });
});

describe('historyPath', () => {
  it('scales time to the width and puts the highest value at the top', () => {
    expect(historyPath([{ t: 2000, v: 10 }, { t: 0, v: 0 }, { t: 1000, v: 5 }], 100, 50)).toBe('M0.0 50.0 L50.0 25.0 L100.0 0.0');
    expect(historyPath([], 100, 50)).toBe('');
    expect(historyPath([{ t: 5, v: 3 }], 100, 50)).toBe('M50.0 25.0');
  });
});
