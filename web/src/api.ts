/**
 * The one way the UI talks to the platform: same-origin requests that carry the signed-in session token (kept in
 * memory only, never in storage) and turn RFC 9457 problems into errors with the server's own explanation.
 * The password is sent once, at sign-in, and swapped for a short-lived API token (`POST /api/v1/sessies`): checking
 * a token is one look-up on the server, checking a password a deliberately slow hash — too slow for every tile.
 * What a caller may see is decided by the server's access seam; the UI only shows what it is given.
 */

/** An RFC 9457 problem the platform answered with. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    /** The answer's `Retry-After` in seconds (a 429 or 503 has one), `null` when it had none. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ProblemError';
  }
}

/** HTTP Basic credentials of a local account. */
export interface Credentials {
  readonly userName: string;
  readonly password: string;
}

/** Who the platform takes the caller for (`GET /api/v1/ik`). */
export interface Me {
  readonly rol: string;
  readonly aangemeld: boolean;
  readonly pseudoniem: string | null;
  readonly doel: string | null;
}

/** The `Authorization` header value of `credentials` (HTTP Basic, UTF-8 as RFC 7617 allows). */
export function basicAuthorization(credentials: Credentials): string {
  const bytes = new TextEncoder().encode(`${credentials.userName}:${credentials.password}`);
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return `Basic ${btoa(binary)}`;
}

/** A session token of the signed-in account (`POST /api/v1/sessies`). */
interface Session {
  readonly token: string;
  readonly id: string;
  readonly verlooptOp: string;
}

/**
 * A GET refused for too many requests (429) is asked again after the answer's `Retry-After`, at most this many times and
 * only when that wait is this short: the page's reads share one budget per address on the server (docs/security.md), and
 * a moment's burst should cost a user a second, not an empty answer. A longer wait is the caller's to explain.
 */
const tooManyRequestsRetries = 2;
const longestRetryWaitSeconds = 5;

/** The header in which a caller states the purpose of a request (the server's `Authentication.PurposeHeader`). */
const purposeHeader = 'X-Tweeling-Doel';

export class ApiClient {
  #session: Session | null = null;
  /** The purpose stated at sign-in, sent with every request of the session: a dataset may be readable only for a purpose it lists. */
  #purpose = '';
  /** GETs on their way, by token and path: modules that start at once (map and live panel) share one request. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  /** `base` is empty in the page (same origin); tests give a server's address. */
  constructor(private readonly base = '') {}

  /** The headers every request of the page carries (fetch and MapLibre's tile requests alike). */
  headers(): Record<string, string> {
    return this.#session ? sessionHeaders(this.#session.token, this.#purpose) : {};
  }

  get signedIn(): boolean {
    return this.#session !== null;
  }

  /**
   * Swaps `credentials` for a session token and checks it, with the stated `purpose` (none when empty), against
   * `/api/v1/ik`; keeps both when both succeed. Resolves with the caller as the platform sees it (its `doel` is the
   * purpose it received); rejects with a ProblemError (401 for a wrong user name or password, 400 for a purpose
   * the platform refuses) and keeps the previous state.
   */
  async signIn(credentials: Credentials, purpose = ''): Promise<Me> {
    const stated = purpose.trim();
    const session = await this.#request<Session>('/api/v1/sessies', { Authorization: basicAuthorization(credentials) }, 'POST');
    const me = await this.#request<Me>('/api/v1/ik', sessionHeaders(session.token, stated));
    this.#session = session;
    this.#purpose = stated;
    return me;
  }

  /** Forgets the session at once and asks the platform to revoke its token (a failure there only leaves it to expire). */
  signOut(): void {
    const session = this.#session;
    this.#session = null;
    this.#purpose = '';
    if (session) {
      void fetch(`${this.base}/api/v1/sessies/${encodeURIComponent(session.id)}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${session.token}` },
        credentials: 'omit',
      }).catch(() => undefined);
    }
  }

  /**
   * GETs `path` (same origin) as JSON. A GET of the same path with the same token that is still on its way is shared,
   * not sent again, so callers must treat the answer as read-only; once it settles, the next GET asks the platform anew.
   */
  get<T>(path: string): Promise<T> {
    const key = `${this.#session?.token ?? ''} ${this.#purpose} ${path}`;
    let request = this.#inFlight.get(key) as Promise<T> | undefined;
    if (!request) {
      request = this.#request<T>(path, this.headers());
      this.#inFlight.set(key, request);
      const settled = (): void => void this.#inFlight.delete(key);
      request.then(settled, settled);
    }
    return request;
  }

  /** GETs `path`, or `null` when the platform answers 404 (an endpoint or object that is not there). */
  async find<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) {
        return null;
      }
      throw error;
    }
  }

  async #request<T>(path: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<T> {
    for (let retries = 0; ; retries++) {
      // credentials 'omit': the Authorization header is ours alone, so a 401 never makes the browser ask for a password itself.
      const response = await fetch(`${this.base}${path}`, { method, headers: { Accept: 'application/json', ...headers }, credentials: 'omit' });
      if (response.ok) {
        return (await response.json()) as T;
      }
      const problem = await problemOf(response);
      const wait = problem.status === 429 && method === 'GET' && retries < tooManyRequestsRetries ? problem.retryAfterSeconds : null;
      if (wait === null || wait > longestRetryWaitSeconds) {
        throw problem;
      }
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

/** The headers of a request in a session: its token and, when one was stated, its purpose. */
function sessionHeaders(token: string, purpose: string): Record<string, string> {
  return purpose ? { Authorization: `Bearer ${token}`, [purposeHeader]: purpose } : { Authorization: `Bearer ${token}` };
}

/** The problem in `response`, or one made from its status when the body is not a problem. */
export async function problemOf(response: Response): Promise<ProblemError> {
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  try {
    const body = (await response.json()) as { type?: string; title?: string; detail?: string };
    return new ProblemError(response.status, body.type ?? 'about:blank', body.title ?? response.statusText, body.detail ?? '', retryAfter);
  } catch {
    return new ProblemError(response.status, 'about:blank', response.statusText, `HTTP ${response.status}`, retryAfter);
  }
}

/** A `Retry-After` value in whole seconds from now (RFC 9110 §10.2.3: delay-seconds or an HTTP date); `null` without one. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') {
    return null;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}
