/**
 * The one way the UI talks to the platform: same-origin requests that carry the signed-in credentials (kept in
 * memory only, never in storage) and turn RFC 9457 problems into errors with the server's own explanation.
 * What a caller may see is decided by the server's access seam; the UI only shows what it is given.
 */

/** An RFC 9457 problem the platform answered with. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
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

export class ApiClient {
  #credentials: Credentials | null = null;

  /** `base` is empty in the page (same origin); tests give a server's address. */
  constructor(private readonly base = '') {}

  /** The headers every request of the page carries (fetch and MapLibre's tile requests alike). */
  headers(): Record<string, string> {
    return this.#credentials ? { Authorization: basicAuthorization(this.#credentials) } : {};
  }

  get signedIn(): boolean {
    return this.#credentials !== null;
  }

  /**
   * Checks `credentials` against `/api/v1/ik` and keeps them when they sign in. Resolves with the caller;
   * rejects with a ProblemError (401 for a wrong user name or password) and keeps the previous state.
   */
  async signIn(credentials: Credentials): Promise<Me> {
    const me = await this.#request<Me>('/api/v1/ik', { Authorization: basicAuthorization(credentials) });
    this.#credentials = credentials;
    return me;
  }

  signOut(): void {
    this.#credentials = null;
  }

  /** GETs `path` (same origin) as JSON. */
  get<T>(path: string): Promise<T> {
    return this.#request<T>(path, this.headers());
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

  async #request<T>(path: string, headers: Record<string, string>): Promise<T> {
    // credentials 'omit': the Authorization header is ours alone, so a 401 never makes the browser ask for a password itself.
    const response = await fetch(`${this.base}${path}`, { headers: { Accept: 'application/json', ...headers }, credentials: 'omit' });
    if (!response.ok) {
      throw await problemOf(response);
    }
    return (await response.json()) as T;
  }
}

/** The problem in `response`, or one made from its status when the body is not a problem. */
export async function problemOf(response: Response): Promise<ProblemError> {
  try {
    const body = (await response.json()) as { type?: string; title?: string; detail?: string };
    return new ProblemError(response.status, body.type ?? 'about:blank', body.title ?? response.statusText, body.detail ?? '');
  } catch {
    return new ProblemError(response.status, 'about:blank', response.statusText, `HTTP ${response.status}`);
  }
}
