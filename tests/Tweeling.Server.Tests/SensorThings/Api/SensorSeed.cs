using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.Access;
using Tweeling.Storage.Sqlite;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>Things deep-inserted through <see cref="ISensorStore.CreateThingAsync"/>, as a test seed.</summary>
public static class SensorSeed
{
    public const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

    public static readonly UnitOfMeasurement Celsius = new("degree Celsius", "°C", "http://qudt.org/vocab/unit/DEG_C");

    public static readonly UnitOfMeasurement Percent = new("percent", "%", "http://qudt.org/vocab/unit/PERCENT");

    private static readonly GeometryFactory s_crs84 = TwinHost.GeometryServices.CreateGeometryFactory(Crs.Crs84Srid);

    /// <summary>A weather station at (4.9, 52.37) with a temperature and a humidity Datastream.</summary>
    public static Task<ThingInserted> WeatherStationAsync(SqliteTwinStore store, string name = "Station Dam") =>
        store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, name, "A weather station", JsonDocument.Parse("""{"owner":"gemeente"}""").RootElement.Clone()),
                [Link<StaLocation>.Create(new StaLocation(0, "Dam", "The square", "application/geo+json", s_crs84.CreatePoint(new Coordinate(4.9, 52.37))))],
                [
                    new DatastreamInsert(
                        new Datastream(0, "Temperature", "Air temperature", new UnitOfMeasurement("degree Celsius", "°C", "http://qudt.org/vocab/unit/DEG_C"), Measurement, 0, 0, 0),
                        Link<Sensor>.Create(new Sensor(0, "PT100", "A thermometer", "application/pdf", "https://example.org/pt100.pdf")),
                        Link<ObservedProperty>.Create(new ObservedProperty(0, "Air temperature", "http://vocab.nerc.ac.uk/standard_name/air_temperature/", "The temperature of the air"))),
                    new DatastreamInsert(
                        new Datastream(0, "Humidity", "Relative humidity", new UnitOfMeasurement("percent", "%", "http://qudt.org/vocab/unit/PERCENT"), Measurement, 0, 0, 0),
                        Link<Sensor>.Create(new Sensor(0, "HYT", "A hygrometer", "application/pdf", "https://example.org/hyt.pdf")),
                        Link<ObservedProperty>.Create(new ObservedProperty(0, "Humidity", "http://vocab.nerc.ac.uk/standard_name/relative_humidity/", "Relative humidity"))),
                ],
                TwinServer.Now),
            CancellationToken.None);

    /// <summary>
    /// A weather station "Station <paramref name="name"/>" (in <paramref name="dataset"/>, or none) at Location "Plek
    /// <paramref name="name"/>" (4.9, 52.37), with Sensor "WS-100 <paramref name="name"/>" and MultiDatastream "Weer
    /// <paramref name="name"/>" of ObservedProperties "temperature <paramref name="name"/>" (°C) and "humidity
    /// <paramref name="name"/>" (%), in that result order; no Observations.
    /// </summary>
    public static async Task<WeatherMulti> WeatherMultiDatastreamAsync(SqliteTwinStore store, string name, string? dataset)
    {
        var cancel = TestContext.Current.CancellationToken;
        JsonElement? properties = dataset is null ? null : JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["dataset"] = dataset });
        var thing = await store.Sensors.CreateAsync(new Thing(0, "Station " + name, "weather station", properties), cancel);
        var location = await store.Sensors.CreateAsync(new StaLocation(0, "Plek " + name, "standplaats", "application/geo+json", s_crs84.CreatePoint(new Coordinate(4.9, 52.37))), cancel);
        await store.Sensors.SetThingLocationsAsync(thing.Id, [location.Id], TwinServer.Now.AddDays(-1), cancel);
        var sensor = await store.Sensors.CreateAsync(new Sensor(0, "WS-100 " + name, "weather sensor", "text/plain", "datasheet"), cancel);
        var temperature = await store.Sensors.CreateAsync(new ObservedProperty(0, "temperature " + name, "urn:tweeling:grootheid:temperatuur", "air temperature"), cancel);
        var humidity = await store.Sensors.CreateAsync(new ObservedProperty(0, "humidity " + name, "urn:tweeling:grootheid:vochtigheid", "relative humidity"), cancel);
        var multi = await store.Sensors.CreateAsync(
            new MultiDatastream(
                0, "Weer " + name, "temperature and humidity in one record", [Celsius, Percent], MultiDatastream.ComplexObservationType,
                [Measurement, Measurement], thing.Id, sensor.Id, [temperature.Id, humidity.Id]),
            cancel);
        return new WeatherMulti(thing.Id, sensor.Id, [temperature.Id, humidity.Id], multi.Id);
    }

    /// <summary>Both kinds of series at once: <see cref="WeatherStationAsync"/> and <see cref="WeatherMultiDatastreamAsync"/> ("Dam", no dataset).</summary>
    public static async Task<(ThingInserted Station, WeatherMulti Weather)> StationAndMultiDatastreamAsync(SqliteTwinStore store) =>
        (await WeatherStationAsync(store), await WeatherMultiDatastreamAsync(store, "Dam", dataset: null));

    /// <summary>
    /// The two-dataset world of the access tests: <see cref="SensorAccessWorld.OpenDataset"/> (open) and
    /// <see cref="SensorAccessWorld.InternalDataset"/> (internal) in the catalog, and a station made by <paramref name="station"/>
    /// in each, named "open" and "geheim".
    /// </summary>
    public static async Task<(T Open, T Internal)> InOpenAndInternalDatasetsAsync<T>(SqliteTwinStore store, Func<SqliteTwinStore, string, string, Task<T>> station)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using (var transaction = await store.BeginAsync(cancel))
        {
            await transaction.PutDatasetAsync(SensorAccessWorld.Dataset(SensorAccessWorld.OpenDataset, Classification.Open), cancel);
            await transaction.PutDatasetAsync(SensorAccessWorld.Dataset(SensorAccessWorld.InternalDataset, Classification.Internal), cancel);
            await transaction.CommitAsync(cancel);
        }

        return (await station(store, "open", SensorAccessWorld.OpenDataset), await station(store, "geheim", SensorAccessWorld.InternalDataset));
    }

    /// <summary>A Thing without Locations, Datastreams or properties.</summary>
    public static Task<ThingInserted> BareThingAsync(SqliteTwinStore store, string name) =>
        store.Sensors.CreateThingAsync(new ThingInsert(new Thing(0, name, "A bare thing"), [], [], TwinServer.Now), CancellationToken.None);
}

/// <summary>What <see cref="SensorSeed.WeatherMultiDatastreamAsync"/> made: the ids of its Thing, Sensor, ObservedProperties (in result order) and MultiDatastream.</summary>
public sealed record WeatherMulti(long Thing, long Sensor, long[] ObservedProperties, long Multi);
