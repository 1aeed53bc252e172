import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ProblemError } from '../src/api';

// A real HTTP server on a free port: counts the requests per path and answers after a short delay, so two GETs
// started together are both on their way at once.
const requests = new Map<string, number>();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    setTimeout(() => {
      if (path.startsWith('/ontbreekt')) {
        response.writeHead(404, { 'Content-Type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', detail: 'nothing here' }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ path, count: requests.get(path) }));
    }, 50);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ApiClient.get', () => {
  it('shares a GET of the same path that is still on its way', async () => {
    const api = new ApiClient(base);
    const [first, second] = await Promise.all([api.get('/gedeeld'), api.get('/gedeeld')]);

    expect(requests.get('/gedeeld')).toBe(1);
    expect(second).toBe(first);
  });

  it('asks again once the earlier GET has settled, and keeps other paths apart', async () => {
    const api = new ApiClient(base);
    await api.get('/opnieuw');
    const [again, other] = await Promise.all([api.get<{ count: number }>('/opnieuw'), api.get<{ path: string }>('/anders')]);

    expect(again.count).toBe(2);
    expect(other.path).toBe('/anders');
    expect(requests.get('/anders')).toBe(1);
  });

  it('gives a failure to every caller that shared it and does not keep it', async () => {
    const api = new ApiClient(base);
    const both = await Promise.allSettled([api.get('/ontbreekt'), api.get('/ontbreekt')]);

    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(((both[0] as PromiseRejectedResult).reason as ProblemError).status).toBe(404);
    await expect(api.get('/ontbreekt')).rejects.toBeInstanceOf(ProblemError);
    expect(requests.get('/ontbreekt')).toBe(2);
  });
});
