import type { App } from '../app';
import { tr } from '../dashboards/messages';
import { h, replaceChildren } from '../dom';
import { formatDate, formatNumber } from '../i18n';
import { LiveState, SseParser, alarmsAtOpenPath, historyPath, type Alarm, type HistoryPoint } from './events';
import { aggregatesPath, customPeriod, customWindow, defaultPeriod, historyWindow, hourlyRows, isPeriod, maxCustomDays, observationsPath, periods, pointsOf, pointsOfRows, readOf, rowsOfAggregates, summaryOf, type Aggregate, type HistoryRead, type HistoryWindow, type HourRow } from './history';
import { SensorLayer } from './sensormap';

/** Waits before reconnecting a dropped stream, ms. */
const reconnectMs = 5_000;

const svgNs = 'http://www.w3.org/2000/svg';

/**
 * Live sensors: `ul#live` with the latest value per datastream and `ul#alarmen` with the alerts (active ones, then the
 * most recently cleared), both from the
 * `/api/v1/live` event stream read with the caller's credentials (EventSource cannot send them, so fetch streams
 * it); the sensor points on the map are coloured by the values as they arrive and alarmed sensors marked
 * ({@link SensorLayer}), and a clicked sensor gets, for a chosen period (`#sensorperiode`, up to the time slider's
 * date) or a from–to range of dates (`#sensorperiode-van`, `#sensorperiode-tot`), a chart of each of its Datastreams (observations for a day, hourly aggregates for longer) with an hourly table as its alternative (`#sensorverloop`,
 * which the details panel shows under the sensor's data).
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
      // stream brings every change after. The sensors' load is the one the map shows too. The alerts come in one read
      // with the newest of their history, so the list shows what was cleared before the page opened.
      const [alarms] = await Promise.all([app.api.get<Alarm[]>(alarmsAtOpenPath), sensorLayer.load(opened)]);
      state.resetAlarms(alarms);
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

  // The history of the clicked sensor: a period control that stays (so it keeps focus while the charts change) and
  // one chart with a table per Datastream of the Thing.
  const periodLabel = h('label', { class: 'utrecht-form-label', for: 'sensorperiode' });
  const periodSelect = h('select', { id: 'sensorperiode', class: 'utrecht-select utrecht-select--html-select', 'aria-describedby': 'sensorperiode-uitleg' },
    [...Object.keys(periods), customPeriod].map((p) => h('option', { value: p }, p)));
  periodSelect.value = defaultPeriod;
  const windowText = h('p', { id: 'sensorperiode-uitleg', class: 'utrecht-form-field-description', 'aria-live': 'polite' });
  // A from–to range of dates, shown when the period control asks for it: two labelled native date inputs, which
  // every browser lets a keyboard user type or pick.
  const dateField = (id: string) => {
    const label = h('label', { class: 'utrecht-form-label', for: id });
    const input = h('input', { id, type: 'date', class: 'utrecht-textbox utrecht-textbox--html-input', 'aria-describedby': 'sensorperiode-uitleg' });
    return { label, input, field: h('div', { class: 'utrecht-form-field' }, label, input) };
  };
  const rangeFrom = dateField('sensorperiode-van');
  const rangeTo = dateField('sensorperiode-tot');
  const rangeLegend = h('legend', { class: 'utrecht-form-fieldset__legend' });
  const range = h('fieldset', { id: 'sensorperiode-eigen', class: 'utrecht-form-fieldset sensorperiode-eigen' }, rangeLegend, rangeFrom.field, rangeTo.field);
  range.hidden = true;
  const historyHeading = h('h3', { class: 'utrecht-heading-3' });
  const streamList = h('div', { class: 'meetreeksen' });
  history.append(historyHeading, h('div', { class: 'utrecht-form-field' }, periodLabel, periodSelect, windowText), range, streamList);
  history.hidden = true;
  let shown: { span: HistoryWindow; read: HistoryRead; streams: StreamHistory[] } | null = null;
  let historyRequest = 0;

  const renderHistory = () => {
    historyHeading.textContent = t('live.historytitle');
    periodLabel.textContent = t('live.period');
    for (const option of periodSelect.options) {
      option.textContent = isPeriod(option.value) ? t(`live.period.${option.value}`) : t('live.period.eigen');
    }
    rangeLegend.textContent = t('live.range');
    rangeFrom.label.textContent = t('live.range.from');
    rangeTo.label.textContent = t('live.range.to');
    if (!shown) {
      return;
    }
    const when = (d: Date) => `${formatDate(app.language, d)} ${time(d.toISOString())}`;
    windowText.textContent = t('live.window', { from: when(shown.span.from), to: when(shown.span.to) });
    const read = shown.read;
    replaceChildren(streamList, shown.streams.map((stream) => streamSection(stream, read)));
  };

  const streamSection = ({ datastream, points, rows: hours, count, failed }: StreamHistory, read: HistoryRead) => {
    // Daily aggregates (a range over 31 days) make a row a day; otherwise a row is an hour.
    const rowLabel = (start: number) => (read === 'dag' ? formatDate(app.language, new Date(start)) : `${formatDate(app.language, new Date(start))} ${time(new Date(start).toISOString())}`);
    const title = `${t('live.history', { datastream: datastream['@iot.id'] })}: ${datastream.name}`;
    const unit = datastream.unitOfMeasurement?.symbol ?? '';
    const summary = summaryOf(hours);
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', historyPath(points, 400, 100));
    path.setAttribute('class', 'sensorverloop-lijn');
    const chart = document.createElementNS(svgNs, 'svg');
    chart.setAttribute('viewBox', '0 0 400 100');
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', title);
    chart.append(path);
    const number = (v: number) => formatNumber(app.language, v, 1);
    const rows = [...hours].reverse();
    return h('section', { class: 'meetreeks', 'data-datastream': String(datastream['@iot.id']) },
      h('h4', { class: 'utrecht-heading-4' }, title),
      failed !== undefined ? h('p', {}, t('live.failed', { detail: failed }))
        : summary === null ? h('p', { class: 'meetreeks-leeg' }, t('live.empty'))
        : h('p', { class: 'meetreeks-samenvatting' }, t('live.summary', { count: summary.count, min: number(summary.min), max: number(summary.max), unit })),
      points.length > 0 ? chart : null,
      summary !== null && count > summary.count ? h('p', { class: 'meetreeks-afgekapt' }, t('live.capped', { shown: summary.count, count })) : null,
      rows.length === 0 ? null : h('div', { class: 'tabel-scroll', tabindex: '0', role: 'region', 'aria-label': title },
        h('table', { class: 'utrecht-table' },
          h('caption', { class: 'utrecht-table__caption' }, title),
          h('thead', { class: 'utrecht-table__header' }, h('tr', {},
            [t(read === 'dag' ? 'live.day' : 'live.hour'), `${t('live.mean')} (${unit})`, t('live.min'), t('live.max'), t('live.count')].map((label) => h('th', { scope: 'col' }, label)))),
          h('tbody', {}, rows.map((row) => h('tr', {},
            h('th', { scope: 'row' }, rowLabel(row.start)),
            h('td', {}, number(row.mean)), h('td', {}, number(row.min)), h('td', {}, number(row.max)), h('td', {}, String(row.count))))),
        )),
    );
  };

  const showHistory = async () => {
    const request = ++historyRequest;
    const selection = app.selection;
    if (selection?.collection !== 'sensoren') {
      // Back under the live list, out of sight: the details panel takes it again when a sensor is chosen.
      history.hidden = true;
      shown = null;
      replaceChildren(streamList);
      container.querySelector('section.live')?.append(history);
      return;
    }
    history.hidden = false;
    // Busy, and empty at once: the panel may show the element before this sensor's history has arrived.
    streamList.setAttribute('aria-busy', 'true');
    if (shown?.streams[0]?.thing !== selection.id) {
      replaceChildren(streamList);
    }
    const custom = periodSelect.value === customPeriod;
    range.hidden = !custom;
    // A chosen range of dates stands on its own; a period ends at the time slider's date.
    const span = custom ? customWindow(rangeFrom.input.value, rangeTo.input.value, new Date())
      : historyWindow(isPeriod(periodSelect.value) ? periodSelect.value : defaultPeriod, app.peildatum, new Date());
    for (const input of [rangeFrom.input, rangeTo.input]) {
      if (typeof span === 'string') {
        input.setAttribute('aria-invalid', 'true');
      } else {
        input.removeAttribute('aria-invalid');
      }
    }
    if (typeof span === 'string') {
      // Nothing to ask for: say why, and show no chart of another window.
      shown = null;
      windowText.textContent = t(`live.range.${span}`, { days: maxCustomDays });
      replaceChildren(streamList);
      streamList.removeAttribute('aria-busy');
      return;
    }
    const read = readOf(span);
    const datastreams = await app.api.get<{ value: Datastream[] }>(
      `/sta/v1.1/Things(${Number(selection.id)})/Datastreams?$select=id,name,unitOfMeasurement&$orderby=id&$top=100`,
    );
    const streams = await Promise.all(datastreams.value.map(async (datastream): Promise<StreamHistory> => {
      try {
        if (read !== 'waarnemingen') {
          const answer = await app.api.get<{ aggregaten: Aggregate[] }>(aggregatesPath(selection.id, datastream['@iot.id'], span, read));
          const rows = rowsOfAggregates(answer.aggregaten);
          return { thing: selection.id, datastream, points: pointsOfRows(rows), rows, count: summaryOf(rows)?.count ?? 0 };
        }
        const answer = await app.api.get<{ '@iot.count'?: number; value: { phenomenonTime: string; result: unknown }[] }>(observationsPath(datastream['@iot.id'], span));
        const points = pointsOf(answer.value);
        return { thing: selection.id, datastream, points, rows: hourlyRows(points), count: Math.max(answer['@iot.count'] ?? points.length, points.length) };
      } catch (error) {
        return { thing: selection.id, datastream, points: [], rows: [], count: 0, failed: (error as Error).message };
      }
    }));
    if (request !== historyRequest) {
      return;
    }
    shown = { span, read, streams };
    renderHistory();
    streamList.removeAttribute('aria-busy');
  };

  const reloadHistory = () => void showHistory().catch((error: Error) => {
    streamList.removeAttribute('aria-busy');
    replaceChildren(streamList, h('p', {}, t('live.failed', { detail: error.message })));
  });
  periodSelect.addEventListener('change', () => {
    if (periodSelect.value === customPeriod && !rangeFrom.input.value && !rangeTo.input.value) {
      // A first choice of a range starts from the last 7 days (UTC dates, as the window reads them), ready to change.
      const today = new Date();
      rangeTo.input.value = today.toISOString().slice(0, 10);
      rangeFrom.input.value = new Date(today.getTime() - 6 * 24 * 3_600_000).toISOString().slice(0, 10);
    }
    reloadHistory();
  });
  rangeFrom.input.addEventListener('change', reloadHistory);
  rangeTo.input.addEventListener('change', reloadHistory);

  app.on('language', () => {
    render();
    renderHistory();
  });
  app.on('role', () => void connect());
  app.on('selection', reloadHistory);
  // A past reference date shows the history up to that date (a chosen range of dates keeps its own dates).
  app.on('peildatum', () => {
    if (app.selection?.collection === 'sensoren' && periodSelect.value !== customPeriod) {
      reloadHistory();
    }
  });
  render();
  renderHistory();
  void connect();
}

/** A Datastream of the clicked Thing as the history reads it. */
interface Datastream {
  readonly '@iot.id': number;
  readonly name: string;
  readonly unitOfMeasurement?: { readonly symbol?: string };
}

/**
 * One Datastream's values in the shown window: the points drawn (observations, or hourly means), the hourly rows of
 * the table, how many observations the window holds, or why it failed.
 */
interface StreamHistory {
  readonly thing: string;
  readonly datastream: Datastream;
  readonly points: readonly HistoryPoint[];
  readonly rows: readonly HourRow[];
  readonly count: number;
  readonly failed?: string;
}
