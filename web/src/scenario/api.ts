import { problemOf } from '../api';
import type { App } from '../app';
import { scenarioBody, type ScenarioDraft } from './model';

/** A scenario version as `/api/v1/scenarios` answers it (Scenarios.cs, ScenarioView). */
export interface ScenarioVersion {
  readonly id: number;
  readonly versie: number;
  readonly naam: string;
  readonly beschrijving: string | null;
  readonly peildatum: string;
  readonly inhoudshash: string;
  readonly aangemaaktOp: string;
  readonly ingrepen: readonly Record<string, unknown>[];
}

/** The summary of `POST …/versies/{v}/doorrekening` that the editor uses. */
export interface RunSummary {
  readonly scenario: { readonly id: number; readonly versie: number };
}

/**
 * The scenario writes (POST, PUT, DELETE and the run) with the signed-in session's credentials; a refusal becomes the
 * platform's RFC 9457 problem as a `ProblemError`. Reads go through the app's `ApiClient`.
 */
export async function send<T>(app: App, method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T | null> {
  const response = await fetch(path, {
    method,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...app.api.headers() },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: 'omit',
  });
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response.status === 204 ? null : ((await response.json()) as T);
}

/** Stores `draft` as version 1 of a new scenario (`id` null) or as the next version of scenario `id`. */
export async function saveScenario(app: App, id: number | null, draft: ScenarioDraft): Promise<ScenarioVersion> {
  const saved = id === null
    ? await send<ScenarioVersion>(app, 'POST', '/api/v1/scenarios', scenarioBody(draft))
    : await send<ScenarioVersion>(app, 'PUT', `/api/v1/scenarios/${id}`, scenarioBody(draft));
  return saved!;
}

export async function deleteScenario(app: App, id: number): Promise<void> {
  await send(app, 'DELETE', `/api/v1/scenarios/${id}`);
}

export async function runScenario(app: App, id: number, version: number): Promise<RunSummary> {
  return (await send<RunSummary>(app, 'POST', `/api/v1/scenarios/${id}/versies/${version}/doorrekening`))!;
}
