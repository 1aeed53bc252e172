import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api';
import { SensorItems, sensorItemsPath } from '../src/live/sensoritems';
import { startPlatform } from './platform';

// A real HTTP server on a free port that counts the sensor requests per Authorization header and answers each with
// the sensors that caller sees: one for the public, two for a signed-in caller; `failNext` makes the next answer a 500.
const sensorRequests: string[] = [];
let failNext = false;
let platform: Awaited<ReturnType<typeof startPlatform>>;
let base = '';

function sensor(id: string) {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [4.69, 51.81] }, properties: { naam: `Sensor ${id}` } };
}

beforeAll(async () => {
  platform = await startPlatform((path, authorization, json) => {
    if (path === sensorItemsPath) {
      sensorRequests.push(authorization);
      if (failNext) {
        failNext = false;
        json(500, { type: 'about:blank', title: 'Internal Server Error', detail: 'store unavailable' });
        return;
      }
      // A short delay, so a load is still on its way when a second caller asks.
      setTimeout(() => json(200, { type: 'FeatureCollection', features: authorization ? [sensor('1'), sensor('2')] : [sensor('1')] }), 30);
    } else {
      json(404, { type: 'about:blank', title: 'Not Found', detail: path });
    }
  });
  base = platform.base;
});

afterAll(() => platform.close());

beforeEach(() => {
  sensorRequests.length = 0;
  failNext = false;
});

/** A clock the test moves by hand (ms), as `performance.now()` moves in the page. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('SensorItems', () => {
  it('loads the sensors once for the map and the live panel, also when the second asks after the first has its answer', async () => {
    const time = clock();
    const sensors = new SensorItems(new ApiClient(base), time.now);
    // The live panel: its stream opened at 900 ms, the load starts at 1,000 ms.
    const forPanel = await sensors.load(900);
    time.advance(5_000);
    // The map, seconds later, takes any load of the same caller.
    const forMap = await sensors.load();

    expect(sensorRequests).toHaveLength(1);
    expect(forMap).toBe(forPanel);
    expect(forMap.map((s) => s.id)).toEqual(['1']);
  });

  it('gives the load already started without starting one (the map at style load), and none for other credentials', async () => {
    const api = new ApiClient(base);
    const sensors = new SensorItems(api, clock().now);
    const before = sensors.started();
    const loading = sensors.load();
    const during = sensors.started();
    await loading;
    await api.signIn({ userName: 'medewerker', password: 'een-lang-wachtwoord' });
    const afterSignIn = sensors.started();

    expect(before).toBeNull();
    expect(during).toBe(loading);
    expect(afterSignIn).toBeNull();
    expect(sensorRequests).toHaveLength(1);
  });

  it('shares a load still on its way', async () => {
    const sensors = new SensorItems(new ApiClient(base), clock().now);
    const [first, second] = await Promise.all([sensors.load(), sensors.load()]);

    expect(sensorRequests).toHaveLength(1);
    expect(second).toBe(first);
  });

  it('loads again when the caller needs a load that started after the one it has (a live stream opened since)', async () => {
    const time = clock();
    const sensors = new SensorItems(new ApiClient(base), time.now);
    await sensors.load();
    time.advance(2_000);
    const streamOpened = time.now();
    time.advance(10);
    await sensors.load(streamOpened);
    // Now the newer load serves both kinds of caller.
    await sensors.load(streamOpened);
    await sensors.load();

    expect(sensorRequests).toHaveLength(2);
  });

  it('loads again with the new credentials after sign-in, and gives the new role its own sensors', async () => {
    const api = new ApiClient(base);
    const sensors = new SensorItems(api, clock().now);
    const asPublic = await sensors.load();
    await api.signIn({ userName: 'medewerker', password: 'een-lang-wachtwoord' });
    const asEmployee = await sensors.load();

    expect(sensorRequests).toEqual(['', 'Bearer token-medewerker']);
    expect(asPublic.map((s) => s.id)).toEqual(['1']);
    expect(asEmployee.map((s) => s.id)).toEqual(['1', '2']);
  });

  it('tells subscribers every successful load, and forgets a failed one so the next call asks again', async () => {
    const api = new ApiClient(base);
    const sensors = new SensorItems(api, clock().now);
    const told: string[][] = [];
    const stop = sensors.subscribe((items) => told.push(items.map((s) => s.id)));

    failNext = true;
    await expect(sensors.load()).rejects.toThrow('store unavailable');
    await sensors.load();
    await api.signIn({ userName: 'medewerker', password: 'een-lang-wachtwoord' });
    await sensors.load();
    stop();
    api.signOut();
    await sensors.load();

    expect(sensorRequests).toHaveLength(4);
    expect(told).toEqual([['1'], ['1', '2']]);
  });
});
