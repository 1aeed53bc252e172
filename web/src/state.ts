/**
 * The UI's state in the URL's hash, so that a link shows the same view: the route (`#/kaart`,
 * `#/dashboards/armoede`, …) and, after `?`, the shown layers, the colouring indicator, the selected object,
 * the language and the reference date. Example: `#/kaart?lagen=panden,buurten&kleur=buurten:x&object=panden/P1`.
 */
import type { Language } from './i18n';

export interface ViewState {
  readonly route: string;
  /** Ids of the shown layers; `undefined` = the defaults. */
  readonly layers?: readonly string[];
  /** The `#kleur-indicator` value; `undefined` = no colouring. */
  readonly colour?: string;
  /** The selected object as `collection/featureId`. */
  readonly selected?: { readonly collection: string; readonly id: string };
  readonly language?: Language;
  /** `YYYY-MM-DD`. */
  readonly peildatum?: string;
}

export const defaultRoute = '#/kaart';

/** Reads a hash (with or without its leading `#`); anything it does not understand is left out. */
export function parseHash(hash: string): ViewState {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const [path = '', query = ''] = splitOnce(text, '?');
  const route = path.startsWith('/') && path.length > 1 ? `#${path}` : defaultRoute;
  const params = new URLSearchParams(query);
  const state: { -readonly [K in keyof ViewState]: ViewState[K] } = { route };
  const lagen = params.get('lagen');
  if (lagen !== null) {
    state.layers = lagen.split(',').filter((id) => /^[a-z][a-z0-9-]*$/.test(id));
  }
  const kleur = params.get('kleur');
  if (kleur) {
    state.colour = kleur;
  }
  const object = params.get('object');
  if (object) {
    const [collection = '', id = ''] = splitOnce(object, '/');
    if (collection && id) {
      state.selected = { collection, id };
    }
  }
  const taal = params.get('taal');
  if (taal === 'nl' || taal === 'en') {
    state.language = taal;
  }
  const peildatum = params.get('peildatum');
  if (peildatum && isIsoDate(peildatum)) {
    state.peildatum = peildatum;
  }
  return state;
}

/** Writes `state` as a hash; parameters in a fixed order so one state has one URL. */
export function formatHash(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.layers) {
    params.set('lagen', state.layers.join(','));
  }
  if (state.colour) {
    params.set('kleur', state.colour);
  }
  if (state.selected) {
    params.set('object', `${state.selected.collection}/${state.selected.id}`);
  }
  if (state.language && state.language !== 'nl') {
    params.set('taal', state.language);
  }
  if (state.peildatum) {
    params.set('peildatum', state.peildatum);
  }
  const query = params.toString().replaceAll('%2C', ',').replaceAll('%2F', '/').replaceAll('%3A', ':');
  return query ? `${state.route}?${query}` : state.route;
}

/** A real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return false;
  }
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
