import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers a request with a status and a JSON body (a problem for 4xx and 5xx). */
export type Json = (status: number, body: unknown) => void;

/** A platform request the test routes: its path, its Authorization header ('' for the public) and how to answer it. */
export type Route = (path: string, authorization: string, json: Json) => void;

/**
 * A real HTTP server on a free loopback port that signs a caller in as a medewerker (`POST /api/v1/sessies` gives the
 * token `token-medewerker`, `GET /api/v1/ik` the role) and hands every other request to `route`.
 */
export async function startPlatform(route: Route): Promise<{ readonly base: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    const json: Json = (status, body) => {
      response.writeHead(status, { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/api/v1/sessies' && request.method === 'POST') {
      json(201, { token: 'token-medewerker', id: 's1', verlooptOp: '2099-01-01T00:00:00Z' });
    } else if (path === '/api/v1/ik') {
      json(200, { rol: 'medewerker', aangemeld: true, pseudoniem: null, doel: null });
    } else {
      route(path, request.headers.authorization ?? '', json);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
