import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ProblemError, retryAfterSeconds } from '../src/api';

// A real HTTP server on a free port: counts the requests per path and answers after a short delay, so two GETs
// started together are both on their way at once.
const requests = new Map<string, number>();
/** Paths refused with 429 for their first `times` requests, with this Retry-After. */
const tooManyRequests = new Map<string, { times: number; retryAfter: string }>([
  ['/even-druk', { times: 1, retryAfter: '1' }],
  ['/lang-druk', { times: 99, retryAfter: '60' }],
  ['/steeds-druk', { times: 99, retryAfter: '0' }],
]);
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    setTimeout(() => {
      const refusal = tooManyRequests.get(path);
      if (refusal && (requests.get(path) ?? 0) <= refusal.times) {
        response.writeHead(429, { 'Content-Type': 'application/problem+json', 'Retry-After': refusal.retryAfter });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', detail: 'Too many requests from this address.' }));
        return;
      }
      if (path.startsWith('/ontbreekt')) {
        response.writeHead(404, { 'Content-Type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', detail: 'nothing here' }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const purpose = request.headers['x-tweeling-doel'] ?? null;
      if (path === '/api/v1/sessies') {
        response.end(JSON.stringify({ token: `twl_${requests.get(path)}`, id: 'sessie', verlooptOp: '2030-01-01T00:00:00Z' }));
      } else if (path === '/api/v1/ik') {
        response.end(JSON.stringify({ rol: 'analist', aangemeld: true, pseudoniem: 'p', doel: purpose }));
      } else {
        response.end(JSON.stringify({ path, count: requests.get(path), purpose, authorization: request.headers.authorization ?? null }));
      }
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

describe('ApiClient.signIn', () => {
  const credentials = { userName: 'analist', password: 'geheim-wachtwoord' };

  it('sends the purpose stated at sign-in with every request of the session, and none after signing out', async () => {
    const api = new ApiClient(base);
    const me = await api.signIn(credentials, '  armoedebeleid ');
    const during = await api.get<{ purpose: string | null; authorization: string | null }>('/met-doel');
    api.signOut();
    const after = await api.get<{ purpose: string | null; authorization: string | null }>('/met-doel');

    expect(me.doel).toBe('armoedebeleid');
    expect(during.purpose).toBe('armoedebeleid');
    expect(during.authorization).toMatch(/^Bearer twl_/);
    expect(api.headers()).toEqual({});
    expect(after).toMatchObject({ purpose: null, authorization: null });
  });

  it('states no purpose when none is given', async () => {
    const api = new ApiClient(base);
    const me = await api.signIn(credentials);
    const answer = await api.get<{ purpose: string | null }>('/zonder-doel');

    expect(me.doel).toBeNull();
    expect(answer.purpose).toBeNull();
    expect(Object.keys(api.headers())).toEqual(['Authorization']);
  });
});

describe('a GET refused for too many requests', () => {
  it('is asked again after a short Retry-After, and answers', async () => {
    const started = Date.now();
    const answer = await new ApiClient(base).get<{ count: number }>('/even-druk');

    expect(answer.count).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('is not waited for when the platform asks for a long wait, and tells it', async () => {
    const refused = await new ApiClient(base).get('/lang-druk').catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({ status: 429, retryAfterSeconds: 60 });
    expect(requests.get('/lang-druk')).toBe(1);
  });

  it('is asked again twice at most', async () => {
    await expect(new ApiClient(base).get('/steeds-druk')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 0 });
    expect(requests.get('/steeds-druk')).toBe(3);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delay-seconds and an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Thu, 03 Dec 2026 12:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Thu, 03 Dec 2026 11:59:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });
});
