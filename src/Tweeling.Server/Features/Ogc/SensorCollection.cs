using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Features.Ogc;

/// <summary>
/// The collection <c>sensoren</c>: one point feature per SensorThings Thing that has a Location, with
/// the latest observation of each of its Datastreams, read from the sensor and observation stores.
/// </summary>
/// <remarks>
/// <para>
/// Access: a Thing belongs to the catalog dataset named by the <c>dataset</c> member of its properties
/// (<see cref="DatasetMember"/>), and is shown only when the caller's <see cref="SensorVisibility"/> shows it,
/// as in the SensorThings API: a Thing without one counts as unlabelled sensor data (internal by default).
/// </para>
/// <para>
/// Geometry: the Thing's first Location (by id) that is a point, in CRS84 as the sensor store keeps it.
/// Time: <c>datetime</c> selects Things by the phenomenon time of their latest observation (of any of
/// their Datastreams), so <c>datetime=2025-03-01T11:00:00Z/..</c> gives the sensors that reported since
/// then; a Thing without observations matches no <c>datetime</c>. There are no versions, so a single
/// item refuses <c>datetime</c>.
/// </para>
/// <para>
/// Nothing is cached: latest values change with every observation, and the sensor store has no revision
/// to tell when a cached answer went stale. The demo city's 60 sensors take a few milliseconds.
/// </para>
/// </remarks>
internal sealed class SensorCollection(ISensorStore sensors, IObservationStore observations, CrsTransformer crs) : ICollectionSource
{
    /// <summary>The member of a Thing's properties that names its catalog dataset.</summary>
    public const string DatasetMember = SensorVisibility.DatasetMember;

    /// <summary>The member of a Thing's properties that says what kind of sensor it is.</summary>
    public const string KindMember = "soort";

    /// <summary>Entities read per call while listing the store.</summary>
    private const int PageSize = 1_000;

    public int StorageSrid => Crs.Crs84Srid;

    public string? UnversionedDatetime =>
        "Time of the sensor's latest observation: an RFC 3339 instant or date, or an interval start/end with '..' for an open end. Default: every sensor.";

    public async Task<CollectionContents?> SummarizeAsync(CollectionDefinition collection, ReadContext context, CancellationToken cancellationToken)
    {
        var located = await LocatedThingsAsync(context.Sensors, _ => true, cancellationToken);
        if (located.Count == 0)
        {
            return null;
        }

        var extent = new Envelope();
        foreach (var (_, point, _) in located)
        {
            extent.ExpandToInclude(point.Coordinate);
        }

        return new CollectionContents(extent, [.. located.Select(l => l.Dataset).OfType<string>().Distinct().Order(StringComparer.Ordinal)]);
    }

    public async Task<ItemsPage> ItemsAsync(CollectionDefinition collection, ItemsRequest request, ReadContext context, CancellationToken cancellationToken)
    {
        var located = await LocatedThingsAsync(context.Sensors, thing => MatchesProperties(thing, request.PropertyEquals), cancellationToken);
        if (request.Bbox is { } bbox)
        {
            located = [.. located.Where(l => Within(l.Point, bbox, request.BboxSrid))];
        }

        var streams = await DatastreamsAsync(located.Select(l => l.Thing.Id).ToHashSet(), cancellationToken);
        var latest = await LatestAsync(streams, cancellationToken);
        if (request.Time is { } time)
        {
            located = [.. located.Where(l => LatestTime(streams[l.Thing.Id], latest) is { } at && Matches(time, at))];
        }

        var writer = new SensorJson(new GeoJsonWriter(crs, request.ResponseSrid), context.SiteRoot, await ObservedPropertyNamesAsync(streams, cancellationToken), latest);
        var page = located.Skip(request.Offset).Take(request.Limit).Select(l => writer.ToJson(l, streams[l.Thing.Id])).ToList();
        return new ItemsPage(page, located.Count);
    }

    public async Task<(FoundFeature? Feature, ProblemHttpResult? Problem)> FindAsync(
        CollectionDefinition collection, string featureId, FeatureRequest request, ReadContext context, CancellationToken cancellationToken)
    {
        if (request.DatetimeText is not null)
        {
            return (null, ProblemType.InvalidParameter.With(
                $"'datetime' is not supported on a single sensor: '{collection.Id}' has no versions. Use it on the items to select sensors by the time of their latest observation."));
        }

        var notFound = ProblemType.NotFound.With($"Collection '{collection.Id}' has no feature '{featureId}'.");
        // Only the id as the collection writes it: "05" or "+5" name no feature, as they would in any other collection.
        if (!long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var thingId) ||
            thingId.ToString(CultureInfo.InvariantCulture) != featureId ||
            await sensors.FindAsync<Thing>(thingId, cancellationToken) is not { } thing ||
            !context.Sensors.Sees(thing) ||
            await FirstPointAsync(thing.Id, id => StoredPointAsync(id, cancellationToken), cancellationToken) is not { } point)
        {
            return (null, notFound);
        }

        var streams = await DatastreamsAsync([thing.Id], cancellationToken);
        var writer = new SensorJson(
            new GeoJsonWriter(crs, request.ResponseSrid), context.SiteRoot, await ObservedPropertyNamesAsync(streams, cancellationToken), await LatestAsync(streams, cancellationToken));
        var located = new LocatedThing(thing, point, DatasetOf(thing));
        return (new FoundFeature(featureId, json => writer.WriteOpen(json, located, streams[thing.Id])), null);
    }

    /// <summary>The catalog dataset a Thing's properties name, or <c>null</c>.</summary>
    internal static string? DatasetOf(Thing thing) =>
        thing.Properties is { ValueKind: JsonValueKind.Object } properties &&
        properties.TryGetProperty(DatasetMember, out var dataset) && dataset.ValueKind == JsonValueKind.String
            ? dataset.GetString()
            : null;

    /// <summary>The kind a Thing's properties give, or <c>null</c>.</summary>
    internal static string? KindOf(Thing thing) =>
        thing.Properties is { ValueKind: JsonValueKind.Object } properties &&
        properties.TryGetProperty(KindMember, out var kind) && kind.ValueKind == JsonValueKind.String
            ? kind.GetString()
            : null;

    /// <summary>The readable Things that pass <paramref name="include"/> and have a point Location, by ascending id.</summary>
    private async Task<List<LocatedThing>> LocatedThingsAsync(SensorVisibility visibility, Func<Thing, bool> include, CancellationToken cancellationToken)
    {
        // Every Location in one listing rather than one read per Thing: a Thing's links are the only per-Thing reads left.
        var points = (await AllAsync<StaLocation>(cancellationToken)).Where(l => l.Geometry is Point).ToDictionary(l => l.Id, l => (Point)l.Geometry);
        var located = new List<LocatedThing>();
        foreach (var thing in await AllAsync<Thing>(cancellationToken))
        {
            if (visibility.Sees(thing) && include(thing) &&
                await FirstPointAsync(thing.Id, id => Task.FromResult(points.GetValueOrDefault(id)), cancellationToken) is { } point)
            {
                located.Add(new LocatedThing(thing, point, DatasetOf(thing)));
            }
        }

        return located;
    }

    /// <summary>The first of the Thing's current Locations (by id) that is a point, looked up with <paramref name="pointOf"/>.</summary>
    private async Task<Point?> FirstPointAsync(long thingId, Func<long, Task<Point?>> pointOf, CancellationToken cancellationToken)
    {
        foreach (var id in await sensors.ThingLocationsAsync(thingId, cancellationToken))
        {
            if (await pointOf(id) is { } point)
            {
                return point;
            }
        }

        return null;
    }

    private async Task<Point?> StoredPointAsync(long locationId, CancellationToken cancellationToken) =>
        await sensors.FindAsync<StaLocation>(locationId, cancellationToken) is { Geometry: Point point } ? point : null;

    /// <summary>The Datastreams of each of <paramref name="thingIds"/>, by ascending id; every Thing has an entry.</summary>
    private async Task<Dictionary<long, List<Datastream>>> DatastreamsAsync(HashSet<long> thingIds, CancellationToken cancellationToken)
    {
        var streams = thingIds.ToDictionary(id => id, _ => new List<Datastream>());
        foreach (var datastream in await AllAsync<Datastream>(cancellationToken))
        {
            if (streams.TryGetValue(datastream.ThingId, out var list))
            {
                list.Add(datastream);
            }
        }

        return streams;
    }

    private async Task<Dictionary<long, Observation>> LatestAsync(Dictionary<long, List<Datastream>> streams, CancellationToken cancellationToken)
    {
        var ids = streams.Values.SelectMany(s => s).Select(d => d.Id).ToList();
        return ids.Count == 0 ? [] : (await observations.LatestAsync(ids, cancellationToken)).ToDictionary(o => o.DatastreamId);
    }

    private async Task<Dictionary<long, string>> ObservedPropertyNamesAsync(Dictionary<long, List<Datastream>> streams, CancellationToken cancellationToken)
    {
        var names = new Dictionary<long, string>();
        foreach (var id in streams.Values.SelectMany(s => s).Select(d => d.ObservedPropertyId).Distinct())
        {
            if (await sensors.FindAsync<ObservedProperty>(id, cancellationToken) is { } property)
            {
                names[id] = property.Name;
            }
        }

        return names;
    }

    private async Task<List<T>> AllAsync<T>(CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var all = new List<T>();
        while (true)
        {
            var page = await sensors.ListAsync<T>(all.Count == 0 ? 0 : all[^1].Id, PageSize, cancellationToken);
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all;
            }
        }
    }

    /// <summary>
    /// Whether the Thing has each queryable's value: <c>naam</c> is its name, any other queryable the
    /// member of its properties with that name (so a queryable added to the collection needs no code here).
    /// </summary>
    private static bool MatchesProperties(Thing thing, IReadOnlyDictionary<string, object> equals)
    {
        foreach (var (name, value) in equals)
        {
            var matches = name == "naam"
                ? Equals(thing.Name, value)
                : thing.Properties is { ValueKind: JsonValueKind.Object } properties && properties.TryGetProperty(name, out var member) && JsonEquals(member, value);
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a JSON value equals a parsed queryable value (text, whole number, number or boolean).</summary>
    private static bool JsonEquals(JsonElement member, object value) => (member.ValueKind, value) switch
    {
        (JsonValueKind.String, string text) => member.ValueEquals(text),
        (JsonValueKind.Number, long whole) => member.TryGetInt64(out var n) && n == whole,
        (JsonValueKind.Number, double number) => member.GetDouble() == number,
        (JsonValueKind.True, bool flag) => flag,
        (JsonValueKind.False, bool flag) => !flag,
        _ => false,
    };

    /// <summary>Whether <paramref name="point"/> (CRS84) lies in <paramref name="bbox"/>, which is in <paramref name="bboxSrid"/>.</summary>
    private bool Within(Point point, Envelope bbox, int bboxSrid)
    {
        var (x, y) = (point.X, point.Y);
        crs.Transform(Crs.Crs84Srid, bboxSrid, ref x, ref y);
        return bbox.Intersects(x, y);
    }

    /// <summary>The phenomenon time (start) of the latest of the Thing's latest observations, or <c>null</c> when it has none.</summary>
    private static DateTimeOffset? LatestTime(List<Datastream> streams, Dictionary<long, Observation> latest) =>
        streams.Select(d => latest.TryGetValue(d.Id, out var o) ? o.PhenomenonTime.Start : (DateTimeOffset?)null).Max();

    private static bool Matches(TemporalFilter filter, DateTimeOffset at) =>
        filter.IsInstant ? at == filter.Start : (filter.Start is not { } start || at >= start) && (filter.End is not { } end || at <= end);

    /// <summary>A Thing with its point and dataset (<c>null</c> for a Thing that names none).</summary>
    private sealed record LocatedThing(Thing Thing, Point Point, string? Dataset);

    /// <summary>Writes sensor features as GeoJSON: the Thing, its point, and its Datastreams with their latest observations.</summary>
    private sealed class SensorJson(GeoJsonWriter geoJson, string siteRoot, Dictionary<long, string> observedPropertyNames, Dictionary<long, Observation> latest)
    {
        private readonly string _staRoot = siteRoot + StaApi.Prefix;

        public byte[] ToJson(LocatedThing located, List<Datastream> streams)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
            {
                WriteOpen(json, located, streams);
                json.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        /// <summary>Writes the feature's members and leaves its object open.</summary>
        public void WriteOpen(Utf8JsonWriter json, LocatedThing located, List<Datastream> streams)
        {
            var thing = located.Thing;
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteString("id", thing.Id.ToString(CultureInfo.InvariantCulture));
            json.WritePropertyName("geometry");
            geoJson.WriteGeometry(json, located.Point);
            json.WritePropertyName("properties");
            json.WriteStartObject();
            json.WriteString("naam", thing.Name);
            json.WriteString("omschrijving", thing.Description);
            if (KindOf(thing) is { } kind)
            {
                json.WriteString("soort", kind);
            }

            json.WriteString("dataset", located.Dataset);
            if (LatestTime(streams, latest) is { } at)
            {
                json.WriteString("laatsteWaarneming", EntityJson.Format(SensorTime.At(at)));
            }
            else
            {
                json.WriteNull("laatsteWaarneming");
            }

            json.WriteString("staUrl", $"{_staRoot}/Things({thing.Id})");
            json.WriteStartArray("datastreams");
            foreach (var datastream in streams)
            {
                WriteDatastream(json, datastream);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        private void WriteDatastream(Utf8JsonWriter json, Datastream datastream)
        {
            json.WriteStartObject();
            json.WriteNumber("id", datastream.Id);
            json.WriteString("naam", datastream.Name);
            if (observedPropertyNames.TryGetValue(datastream.ObservedPropertyId, out var observedProperty))
            {
                json.WriteString("waargenomenGrootheid", observedProperty);
            }
            else
            {
                json.WriteNull("waargenomenGrootheid");
            }

            json.WriteString("eenheid", datastream.UnitOfMeasurement.Symbol);
            json.WritePropertyName("laatsteWaarde");
            if (!latest.TryGetValue(datastream.Id, out var observation))
            {
                json.WriteNullValue();
                json.WriteNull("laatsteTijd");
            }
            else
            {
                if (observation.Result is { } number)
                {
                    json.WriteNumberValue(number);
                }
                else if (observation.ResultJson is { } result)
                {
                    result.WriteTo(json);
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteString("laatsteTijd", EntityJson.Format(observation.PhenomenonTime));
            }

            json.WriteString("staUrl", $"{_staRoot}/Datastreams({datastream.Id})");
            json.WriteEndObject();
        }
    }
}
