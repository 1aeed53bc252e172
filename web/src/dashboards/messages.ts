import type { Language } from '../i18n';

/**
 * The dashboards', time slider's and live list's own texts, kept beside their modules so the shared message tables
 * of the map stay as they are; the same keys in both languages (a unit test checks it).
 */
const nl = {
  'dashboard.loading': 'Cijfers laden…',
  'dashboard.failed': 'De cijfers konden niet worden geladen: {detail}',
  'dashboard.asof': 'Peildatum {date}',
  'dashboard.source': 'Bron: {sources}. Classificatie: {classification}.',
  'dashboard.protected': 'Beschermd met onthullingsbeheersing: lege waarden zijn onderdrukt.',
  'dashboard.chart': '{name} ({unit}), hoogste {count} gebieden',
  'dashboard.table': 'Tabel: {name} ({unit}) per {level}',
  'dashboard.area': 'Gebied',
  'dashboard.value': 'Waarde',
  'dashboard.suppressed': 'niet getoond',
  'dashboard.export.csv': 'Exporteer als CSV',
  'dashboard.export.geojson': 'Exporteer als GeoJSON',
  'dashboard.export.done': '{file} is gedownload.',
  'theme.context': 'Context',
  'theme.armoede': 'Armoede',
  'theme.schulden': 'Schulden',
  'theme.multiproblematiek': 'Multiproblematiek',
  'theme.gezondheid': 'Gezondheid',
  'theme.bereikbaarheid': 'Bereikbaarheid',
  'theme.veiligheid': 'Veiligheid',
  'level.buurt': 'buurt',
  'level.wijk': 'wijk',
  'time.label': 'Peildatum',
  'time.hint': 'Toon de tweeling zoals die was op deze datum.',
  'time.today': 'Vandaag',
  'time.shown': 'De tweeling op {date}.',
  'live.title': 'Live sensorwaarden',
  'live.alarms': 'Alarmen',
  'live.none': 'Nog geen waarnemingen ontvangen.',
  'live.noalarms': 'Geen actieve alarmen.',
  'live.value': 'Meetreeks {datastream}: {value} om {time}',
  'live.alarm': '{name} ({severity}): {status} sinds {time}',
  'live.history': 'Verloop van meetreeks {datastream}',
  'live.mark': 'Alarm: {name}',
  'live.key': 'Sensoren op de kaart: de kleur loopt van donkerblauw (laagste) via paars naar oranje (hoogste laatste waarde van sensoren die hetzelfde meten); grijs is nog geen waarde. Een sensor met een actief alarm krijgt een rode rand en een label “⚠ Alarm” met haar naam.',
} as const;

export type LocalKey = keyof typeof nl;

const en: Record<LocalKey, string> = {
  'dashboard.loading': 'Loading figures…',
  'dashboard.failed': 'The figures could not be loaded: {detail}',
  'dashboard.asof': 'Reference date {date}',
  'dashboard.source': 'Source: {sources}. Classification: {classification}.',
  'dashboard.protected': 'Protected by disclosure control: empty values are suppressed.',
  'dashboard.chart': '{name} ({unit}), top {count} areas',
  'dashboard.table': 'Table: {name} ({unit}) per {level}',
  'dashboard.area': 'Area',
  'dashboard.value': 'Value',
  'dashboard.suppressed': 'not shown',
  'dashboard.export.csv': 'Export as CSV',
  'dashboard.export.geojson': 'Export as GeoJSON',
  'dashboard.export.done': '{file} has been downloaded.',
  'theme.context': 'Context',
  'theme.armoede': 'Poverty',
  'theme.schulden': 'Debts',
  'theme.multiproblematiek': 'Multiple problems',
  'theme.gezondheid': 'Health',
  'theme.bereikbaarheid': 'Accessibility',
  'theme.veiligheid': 'Safety',
  'level.buurt': 'neighbourhood',
  'level.wijk': 'district',
  'time.label': 'Reference date',
  'time.hint': 'Show the twin as it was on this date.',
  'time.today': 'Today',
  'time.shown': 'The twin on {date}.',
  'live.title': 'Live sensor values',
  'live.alarms': 'Alerts',
  'live.none': 'No observations received yet.',
  'live.noalarms': 'No active alerts.',
  'live.value': 'Datastream {datastream}: {value} at {time}',
  'live.alarm': '{name} ({severity}): {status} since {time}',
  'live.history': 'History of datastream {datastream}',
  'live.mark': 'Alert: {name}',
  'live.key': 'Sensors on the map: the colour runs from dark blue (lowest) through purple to orange (highest latest value among sensors measuring the same quantity); grey means no value yet. A sensor with an active alert gets a red ring and a label “⚠ Alert” with its name.',
};

export const localMessages: Record<Language, Record<LocalKey, string>> = { nl, en };

/** The text of `key` in `language` with `{name}` placeholders filled in. */
export function tr(language: Language, key: LocalKey, params: Record<string, string | number> = {}): string {
  return localMessages[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
