using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>A simulated sensor and the SensorThings datastream its readings go to.</summary>
/// <param name="Sensor">The simulated sensor.</param>
/// <param name="DatastreamId">Its datastream in the sensor store.</param>
public sealed record DemoDatastream(SimulatedSensor Sensor, long DatastreamId);

/// <summary>
/// Writes the demo city's simulated sensors into the sensor store as SensorThings entities — a Thing
/// with its Location and one Datastream per sensor, one Sensor (device type) and ObservedProperty per
/// kind — and backfills their readings from the <see cref="SignalModel"/>. Observed properties are
/// named by <c>urn:tweeling:grootheid:…</c> URNs: identifiers of the platform's own, since the demo
/// city's quantities are simulated and claim no external vocabulary.
/// </summary>
public static class DemoSensorWriter
{
    /// <summary>Observations appended per call: large enough to amortise the commit, small enough to keep memory flat.</summary>
    public const int BatchSize = 10_000;

    /// <summary>
    /// Creates the entities of <paramref name="sensors"/>; <paramref name="time"/> stamps their first
    /// HistoricalLocation. Each Thing keeps what the live feed needs to continue its readings (key, kind,
    /// level, interval and the seed) in its properties, so a restarted server picks the feed up again.
    /// </summary>
    public static async Task<IReadOnlyList<DemoDatastream>> CreateAsync(
        IReadOnlyList<SimulatedSensor> sensors, int seed, ISensorStore store, CrsTransformer crs, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var sensorIds = new Dictionary<SensorKind, long>();
        var propertyIds = new Dictionary<SensorKind, long>();
        var streams = new List<DemoDatastream>(sensors.Count);
        foreach (var sensor in sensors)
        {
            var (observedProperty, device) = Describe(sensor.Kind);
            var datastream = new Datastream(
                0, $"{sensor.Name}: {observedProperty.Name}", $"Gesimuleerde meetreeks van {sensor.Name} (synthetisch, demostad).",
                new UnitOfMeasurement(sensor.Unit.Name, sensor.Unit.Symbol, sensor.Unit.Definition),
                "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0);
            var insert = new ThingInsert(
                new Thing(0, sensor.Name, $"Gesimuleerde sensor in de demostad ({sensor.Kind}).", DemoSensorProperties.Of(sensor, seed)),
                [Link<Location>.Create(new Location(0, sensor.Name, "Standplaats", "application/geo+json", crs.Transform(sensor.Location, Crs.Crs84Srid)))],
                [new DatastreamInsert(
                    datastream,
                    sensorIds.TryGetValue(sensor.Kind, out var sensorId) ? Link<Sensor>.To(sensorId) : Link<Sensor>.Create(device),
                    propertyIds.TryGetValue(sensor.Kind, out var propertyId) ? Link<ObservedProperty>.To(propertyId) : Link<ObservedProperty>.Create(observedProperty))],
                time);
            var inserted = await store.CreateThingAsync(insert, cancellationToken).ConfigureAwait(false);
            var datastreamId = inserted.DatastreamIds[0];
            if (!sensorIds.ContainsKey(sensor.Kind))
            {
                var created = await store.FindAsync<Datastream>(datastreamId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The datastream {datastreamId} just created cannot be read back.");
                sensorIds[sensor.Kind] = created.SensorId;
                propertyIds[sensor.Kind] = created.ObservedPropertyId;
            }

            streams.Add(new DemoDatastream(sensor, datastreamId));
        }

        return streams;
    }

    /// <summary>
    /// Appends every reading of <paramref name="streams"/> from <paramref name="from"/> up to (not
    /// including) <paramref name="to"/>, each at its sensor's interval, aligned to whole intervals since
    /// the Unix epoch so that a later live feed continues the same grid. Returns the number appended.
    /// </summary>
    public static Task<long> BackfillAsync(
        IReadOnlyList<DemoDatastream> streams, SignalModel model, DateTimeOffset from, DateTimeOffset to,
        IObservationStore store, IProgress<DemoProgress>? progress, CancellationToken cancellationToken) =>
        AppendReadingsAsync([.. streams.Select(s => (s, from))], model, to, store, progress, cancellationToken);

    /// <summary>Appends the readings of each stream from its own start up to (not including) <paramref name="to"/>.</summary>
    internal static async Task<long> AppendReadingsAsync(
        IReadOnlyList<(DemoDatastream Stream, DateTimeOffset From)> streams, SignalModel model, DateTimeOffset to,
        IObservationStore store, IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        var batch = new List<NewObservation>(BatchSize);
        long appended = 0;
        for (var s = 0; s < streams.Count; s++)
        {
            var ((sensor, datastreamId), from) = streams[s];
            for (var t = FirstTick(from, sensor.Interval); t < to; t += sensor.Interval)
            {
                batch.Add(new NewObservation(datastreamId, SensorTime.At(t), model.Reading(sensor, t), ResultTime: t));
                if (batch.Count == BatchSize)
                {
                    appended += await FlushAsync(batch, store, cancellationToken).ConfigureAwait(false);
                }
            }

            progress?.Report(new DemoProgress("sensorgeschiedenis", (s + 1.0) / streams.Count));
        }

        return appended + await FlushAsync(batch, store, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first whole multiple of <paramref name="interval"/> since the Unix epoch at or after <paramref name="from"/>.</summary>
    public static DateTimeOffset FirstTick(DateTimeOffset from, TimeSpan interval)
    {
        var ticks = from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var aligned = (ticks + interval.Ticks - 1) / interval.Ticks * interval.Ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(aligned);
    }

    private static async Task<int> FlushAsync(List<NewObservation> batch, IObservationStore store, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var count = (await store.AppendAsync([.. batch], cancellationToken).ConfigureAwait(false)).Count;
        batch.Clear();
        return count;
    }

    private static (ObservedProperty Property, Sensor Device) Describe(SensorKind kind) => kind switch
    {
        SensorKind.No2 => (Property("NO2-concentratie", "urn:tweeling:grootheid:no2", "Stikstofdioxide in de buitenlucht"),
            Device("Luchtkwaliteitsmonitor NO2", "Elektrochemische NO2-sensor (gesimuleerd)")),
        SensorKind.Pm10 => (Property("PM10-concentratie", "urn:tweeling:grootheid:pm10", "Fijnstof kleiner dan 10 µm"),
            Device("Fijnstofmonitor PM10", "Optische deeltjesteller (gesimuleerd)")),
        SensorKind.Pm25 => (Property("PM2.5-concentratie", "urn:tweeling:grootheid:pm2.5", "Fijnstof kleiner dan 2,5 µm"),
            Device("Fijnstofmonitor PM2.5", "Optische deeltjesteller (gesimuleerd)")),
        SensorKind.TrafficCount => (Property("Verkeersintensiteit", "urn:tweeling:grootheid:verkeersintensiteit", "Motorvoertuigen per kwartier"),
            Device("Verkeersteller", "Lusdetector in het wegdek (gesimuleerd)")),
        SensorKind.CrowdCount => (Property("Passantenaantal", "urn:tweeling:grootheid:passanten", "Voetgangers per kwartier"),
            Device("Passantenteller", "Telcamera met anonieme telling (gesimuleerd)")),
        SensorKind.ParkingOccupancy => (Property("Parkeerbezetting", "urn:tweeling:grootheid:parkeerbezetting", "Bezet deel van de parkeerplaatsen"),
            Device("Parkeerbezettingsteller", "Slagboomtelling in- en uitrit (gesimuleerd)")),
        SensorKind.QuayWallTilt => (Property("Scheefstand kademuur", "urn:tweeling:grootheid:scheefstand-kademuur", "Helling ten opzichte van de nulmeting"),
            Device("Hellingmeter", "Inclinometer op de kademuur (gesimuleerd)")),
        _ => (Property("Gemaaltoestand", "urn:tweeling:grootheid:gemaaltoestand", "0 uit, 1 in bedrijf, 2 storing"),
            Device("Gemaalbewaking", "Statusmelding uit de besturing (gesimuleerd)")),
    };

    private static ObservedProperty Property(string name, string definition, string description) => new(0, name, definition, description);

    private static Sensor Device(string name, string description) => new(0, name, description, "text/plain", description);
}
