import type { App } from '../app';
import { tr } from '../dashboards/messages';
import { h, replaceChildren } from '../dom';
import { formatDate, formatNumber } from '../i18n';
import { LiveState, SseParser, historyPath, type Alarm, type HistoryPoint } from './events';
import { SensorLayer } from './sensormap';

/** Observations in the history chart of a clicked sensor: a day of 15-minute readings. */
const historyLength = 96;

/** Waits before reconnecting a dropped stream, ms. */
const reconnectMs = 5_000;

const svgNs = 'http://www.w3.org/2000/svg';

/**
 * Live sensors: `ul#live` with the latest value per datastream and `ul#alarmen` with the alerts, both from the
 * `/api/v1/live` event stream read with the caller's credentials (EventSource cannot send them, so fetch streams
 * it); the sensor points on the map are coloured by the values as they arrive and alarmed sensors marked
 * ({@link SensorLayer}), and a clicked sensor gets a chart of its recent history from SensorThings with a table
 * alternative (`#sensorverloop`, which the details panel shows under the sensor's data).
 */
export function mountLive(container: HTMLElement, app: App): void {
  const liveHeading = h('h2', { class: 'utrecht-heading-3', id: 'live-titel' });
  // Both lists scroll once they are long: tabindex 0 lets a keyboard user reach and scroll them (WCAG 2.1.1).
  const live = h('ul', { id: 'live', class: 'live-lijst', 'aria-labelledby': 'live-titel', tabindex: '0' });
  const alarmsHeading = h('h2', { class: 'utrecht-heading-3', id: 'alarmen-titel' });
  const alarms = h('ul', { id: 'alarmen', class: 'live-lijst', 'aria-labelledby': 'alarmen-titel', 'aria-live': 'polite', tabindex: '0' });
  const history = h('div', { id: 'sensorverloop', class: 'sensorverloop' });
  const key = h('p', { class: 'live-sleutel' });
  container.append(h('section', { class: 'live' }, liveHeading, key, live, alarmsHeading, alarms, history));

  const state = new LiveState();
  const sensorLayer = new SensorLayer(app, state);
  const t = (key: Parameters<typeof tr>[1], params?: Record<string, string | number>) => tr(app.language, key, params);
  const time = (iso: string) => new Date(iso).toLocaleTimeString(app.language === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit' });

  const render = () => {
    liveHeading.textContent = t('live.title');
    key.textContent = t('live.key');
    alarmsHeading.textContent = t('live.alarms');
    const latest = state.latest();
    replaceChildren(
      live,
      latest.length === 0
        ? h('li', {}, t('live.none'))
        : latest.map((o) =>
            h('li', { 'data-datastream': o.datastream },
              t('live.value', { datastream: o.datastream, value: o.resultaat === null ? '—' : formatNumber(app.language, o.resultaat, 1), time: time(o.tijdstip) }))),
    );
    const list = state.alarms();
    replaceChildren(
      alarms,
      list.length === 0
        ? h('li', {}, t('live.noalarms'))
        : list.map((a) =>
            h('li', { 'data-alarm': a.id, 'data-status': a.status },
              t('live.alarm', { name: a.naam, severity: a.ernst, status: a.status, time: time(a.status === 'actief' ? a.gemeldOp : (a.opgehevenOp ?? a.gemeldOp)) }))),
    );
  };

  let stream: AbortController | null = null;
  const connect = async () => {
    stream?.abort();
    const controller = new AbortController();
    stream = controller;
    // Busy until the stream is open and the state it continues is loaded: from then on nothing stored is missed.
    live.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch('/api/v1/live', { headers: { Accept: 'text/event-stream', ...app.api.headers() }, credentials: 'omit', signal: controller.signal });
      if (!response.ok || !response.body) {
        throw new Error(`HTTP ${response.status}`);
      }
      const opened = performance.now();
      // The alerts already active and the sensors as this role sees them, both read after the stream opened: the
      // stream brings every change after. The sensors' load is the one the map shows too.
      const [alarmList] = await Promise.all([app.api.get<Alarm[]>('/api/v1/alarmen?actief=true&limit=1000'), sensorLayer.load(opened)]);
      state.resetAlarms(alarmList);
      sensorLayer.update();
      render();
      live.removeAttribute('aria-busy');
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        const changed = parser.push(value).map((e) => state.apply(e)).some(Boolean);
        if (changed) {
          render();
          sensorLayer.update();
        }
      }
    } catch {
      // Dropped or refused: try again shortly unless a new role's stream replaced this one.
    }
    if (stream === controller && !controller.signal.aborted) {
      setTimeout(() => void connect(), reconnectMs);
    }
  };

  const showHistory = async () => {
    const selection = app.selection;
    // Empty at once: the panel may show the element before this sensor's history has arrived.
    replaceChildren(history);
    if (selection?.collection !== 'sensoren') {
      return;
    }
    const streams = await app.api.get<{ value: { '@iot.id': number; name: string; unitOfMeasurement?: { symbol?: string } }[] }>(
      `/sta/v1.1/Things(${Number(selection.id)})/Datastreams?$select=id,name,unitOfMeasurement`,
    );
    const first = streams.value[0];
    if (!first) {
      replaceChildren(history);
      return;
    }
    const observations = await app.api.get<{ value: { phenomenonTime: string; result: number }[] }>(
      `/sta/v1.1/Datastreams(${first['@iot.id']})/Observations?$orderby=phenomenonTime%20desc&$top=${historyLength}&$select=phenomenonTime,result`,
    );
    const points: HistoryPoint[] = observations.value
      .filter((o) => typeof o.result === 'number')
      .map((o) => ({ t: Date.parse(o.phenomenonTime.split('/')[0]!), v: o.result }));
    const title = `${t('live.history', { datastream: first['@iot.id'] })}: ${first.name}`;
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', historyPath(points, 400, 100));
    path.setAttribute('class', 'sensorverloop-lijn');
    const chart = document.createElementNS(svgNs, 'svg');
    chart.setAttribute('viewBox', '0 0 400 100');
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', title);
    chart.append(path);
    const unit = first.unitOfMeasurement?.symbol ?? '';
    replaceChildren(
      history,
      h('h3', { class: 'utrecht-heading-4' }, title),
      chart,
      h('table', { class: 'utrecht-table' },
        h('caption', { class: 'utrecht-table__caption' }, title),
        h('tbody', {}, [...points].reverse().slice(0, 12).map((p) =>
          h('tr', {}, h('th', { scope: 'row' }, `${formatDate(app.language, new Date(p.t))} ${time(new Date(p.t).toISOString())}`), h('td', {}, `${formatNumber(app.language, p.v, 1)} ${unit}`)))),
      ),
    );
  };

  app.on('language', render);
  app.on('role', () => void connect());
  app.on('selection', () => void showHistory().catch(() => replaceChildren(history)));
  render();
  void connect();
}
