using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>Things deep-inserted through <see cref="ISensorStore.CreateThingAsync"/>, as a test seed.</summary>
public static class SensorSeed
{
    public const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

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

    /// <summary>A Thing without Locations, Datastreams or properties.</summary>
    public static Task<ThingInserted> BareThingAsync(SqliteTwinStore store, string name) =>
        store.Sensors.CreateThingAsync(new ThingInsert(new Thing(0, name, "A bare thing"), [], [], TwinServer.Now), CancellationToken.None);
}
