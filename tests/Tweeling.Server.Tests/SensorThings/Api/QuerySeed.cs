using System.Net;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// One server for the query tests, over a store whose ids are known (a fresh file numbers every set from 1):
/// <list type="bullet">
/// <item>Thing 1 "Station Dam" (properties owner gemeente, height 12) at Location 1 "Dam" POINT(4.9 52.37), with
/// Datastreams 1 "Temperature Dam" (Sensor 1, ObservedProperty 1) and 2 "Status Dam" (Sensor 2, ObservedProperty 2).</item>
/// <item>Thing 2 "Station Domplein" (owner provincie, height 30) at Location 2 "Domplein" POINT(5.12 52.09), with
/// Datastream 3 "Temperature Domplein" (Sensor 1, ObservedProperty 1).</item>
/// <item>Thing 3 "Kade", no properties, moved to Location 1 later. HistoricalLocations: 1 (Thing 1 → 1), 2 (Thing 2 → 2), 3 (Thing 3 → 1).</item>
/// <item>FeaturesOfInterest 1 "Dam square" POINT(4.9 52.37) and 2 "Domplein square" POINT(5.12 52.09).</item>
/// <item>Observations 1–6: Datastream 1, hour h = 0…5 of 2025-03-01 UTC, result 10 + h, parameters battery 90 − h, FeatureOfInterest 1.
/// 7–9: Datastream 3, hour 0…2, result 20 + h, FeatureOfInterest 2. 10 "ok" at 00:00, 11 "fault" at 01:00 and
/// 12 "ok" over 02:00–04:00 on Datastream 2, FeatureOfInterest 1.</item>
/// </list>
/// The server's clock says 2025-03-01T12:00Z.
/// </summary>
public sealed class QueryServer : IAsyncLifetime
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly GeometryFactory s_crs84 = TwinHost.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid);

    public TwinServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TwinServer.StartAsync(SeedAsync);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The <c>@iot.id</c>s of a collection response's <c>value</c>, in order.</summary>
    public async Task<long[]> IdsAsync(string path) =>
        [.. (await Server.GetJsonAsync(path)).GetProperty("value").EnumerateArray().Select(e => e.GetProperty("@iot.id").GetInt64())];

    /// <summary>GETs <paramref name="path"/> and returns its status.</summary>
    public async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await Server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static async Task SeedAsync(SqliteTwinStore store)
    {
        var ct = CancellationToken.None;
        var sensors = store.Sensors;
        var celsius = new UnitOfMeasurement("degree Celsius", "°C", "http://qudt.org/vocab/unit/DEG_C");
        var none = new UnitOfMeasurement("none", "", "http://qudt.org/vocab/unit/UNITLESS");
        var dam = await sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Station Dam", "A weather station", Json("""{"owner":"gemeente","height":12}""")),
                [Link<StaLocation>.Create(new StaLocation(0, "Dam", "The square", "application/geo+json", s_crs84.CreatePoint(new Coordinate(4.9, 52.37))))],
                [
                    new DatastreamInsert(
                        new Datastream(0, "Temperature Dam", "Air temperature", celsius, SensorSeed.Measurement, 0, 0, 0),
                        Link<Sensor>.Create(new Sensor(0, "PT100", "A thermometer", "application/pdf", "https://example.org/pt100.pdf")),
                        Link<ObservedProperty>.Create(new ObservedProperty(0, "Air temperature", "http://vocab.nerc.ac.uk/standard_name/air_temperature/", "The temperature of the air"))),
                    new DatastreamInsert(
                        new Datastream(0, "Status Dam", "Logger status", none, "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation", 0, 0, 0),
                        Link<Sensor>.Create(new Sensor(0, "Logger", "A data logger", "text/plain", "-")),
                        Link<ObservedProperty>.Create(new ObservedProperty(0, "Status", "urn:status", "Whether the logger works"))),
                ],
                T0),
            ct);
        await sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Station Domplein", "A weather station", Json("""{"owner":"provincie","height":30}""")),
                [Link<StaLocation>.Create(new StaLocation(0, "Domplein", "The square", "application/geo+json", s_crs84.CreatePoint(new Coordinate(5.12, 52.09))))],
                [
                    new DatastreamInsert(
                        new Datastream(0, "Temperature Domplein", "Air temperature", celsius, SensorSeed.Measurement, 0, 0, 0),
                        Link<Sensor>.To(1),
                        Link<ObservedProperty>.To(1)),
                ],
                T0),
            ct);
        var kade = await sensors.CreateThingAsync(new ThingInsert(new Thing(0, "Kade", "A quay wall"), [], [], T0), ct);
        await sensors.SetThingLocationsAsync(kade.ThingId, [dam.LocationIds[0]], T0.AddHours(1), ct);
        await sensors.CreateAsync(new FeatureOfInterest(0, "Dam square", "The square", "application/geo+json", s_crs84.CreatePoint(new Coordinate(4.9, 52.37))), ct);
        await sensors.CreateAsync(new FeatureOfInterest(0, "Domplein square", "The square", "application/geo+json", s_crs84.CreatePoint(new Coordinate(5.12, 52.09))), ct);
        await sensors.AppendAsync(
            [
                .. Enumerable.Range(0, 6).Select(h => new NewObservation(1, SensorTime.At(T0.AddHours(h)), 10 + h, FeatureOfInterestId: 1, Parameters: Json($$"""{"battery":{{90 - h}}}"""))),
                .. Enumerable.Range(0, 3).Select(h => new NewObservation(3, SensorTime.At(T0.AddHours(h)), 20 + h, FeatureOfInterestId: 2)),
                new NewObservation(2, SensorTime.At(T0), null, Json("\"ok\""), FeatureOfInterestId: 1),
                new NewObservation(2, SensorTime.At(T0.AddHours(1)), null, Json("\"fault\""), FeatureOfInterestId: 1),
                new NewObservation(2, new SensorTime(T0.AddHours(2), T0.AddHours(4)), null, Json("\"ok\""), FeatureOfInterestId: 1),
            ],
            ct);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
