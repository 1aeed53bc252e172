using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/zoeken?q=…</c>: finds gemeente, wijken and buurten by name or CBS code, addresses of buildings (street
/// and house number, or postcode and house number), streets, facilities, municipal assets and sensors. Ranked exact match,
/// then a prefix of the label or of one of its words, then a substring; only what the caller may read.
/// </summary>
internal static class Zoeken
{
    /// <summary>The most results one request returns.</summary>
    public const int MaxLimit = 50;

    /// <summary>Results when the request names no limit: what fits a search box's list.</summary>
    public const int DefaultLimit = 10;

    /// <summary>The longest query accepted: longer than any name in the twin.</summary>
    public const int MaxQueryLength = 100;

    public static async Task<Results<Ok<IReadOnlyList<SearchResult>>, ProblemHttpResult>> Handle(
        HttpContext http, SearchIndex index, ReadAccess access, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "q", "limit") is { } unknown)
        {
            return unknown;
        }

        var text = query["q"].ToString().Trim();
        if (text.Length == 0 || text.Length > MaxQueryLength)
        {
            return ProblemType.InvalidParameter.With($"'q' must hold 1 to {MaxQueryLength} characters to search for; got {text.Length}.");
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return ProblemType.InvalidParameter.With($"'limit' must be a whole number from 1 to {MaxLimit}; got '{limitText}'.");
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        var sensors = await access.SensorVisibilityAsync(http, cancellationToken);
        var entries = await index.EntriesAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SearchResult>>([.. SearchIndex.Rank(entries, SearchIndex.Normalise(text), readable, sensors.Unlabelled).Take(limit).Select(e => e.Result)]);
    }
}

/// <summary>One search hit: what it is, its label, where its data is, and where to fly to (CRS84 longitude, latitude).</summary>
/// <param name="Type">gemeente, wijk, buurt, adres, straat, voorziening, beheerobject or sensor.</param>
/// <param name="Label">The name to show, with the code or kind that tells like names apart.</param>
/// <param name="Collectie">The OGC collection holding the feature.</param>
/// <param name="Id">The feature id in that collection.</param>
/// <param name="Punt">A point on or in the feature: [longitude, latitude].</param>
/// <param name="Bbox">Its extent: [min longitude, min latitude, max longitude, max latitude].</param>
internal sealed record SearchResult(string Type, string Label, string Collectie, string Id, double[] Punt, double[] Bbox);

/// <summary>
/// An in-memory index of the searchable names, rebuilt when the feature store's revision of a searched collection or the
/// sensor model's revision moves, so a search costs a scan of short strings (about 50,000 with the demo city's addresses) rather than database reads.
/// </summary>
internal sealed partial class SearchIndex(IFeatureStore features, ISensorStore sensors, SensorModelRevision sensorRevision, CrsTransformer crs, TimeProvider time)
{
    /// <summary>The searched collections with the type their hits get.</summary>
    private static readonly (string Collection, string Type)[] s_collections =
    [
        (TwinCollections.Gemeenten, "gemeente"),
        (TwinCollections.Wijken, "wijk"),
        (TwinCollections.Buurten, "buurt"),
        (TwinCollections.Wegvakken, "straat"),
        (TwinCollections.Voorzieningen, "voorziening"),
        (TwinCollections.Beheerobjecten, "beheerobject"),
        (TwinCollections.Panden, "adres"),
    ];

    /// <summary>
    /// The order hits of equal rank are listed in: areas before the things in them, and addresses last, as a city has tens
    /// of thousands (a street's addresses would otherwise bury a facility that matches as well).
    /// </summary>
    private static readonly string[] s_typeOrder = ["gemeente", "wijk", "buurt", "straat", "voorziening", "beheerobject", "sensor", "adres"];

    /// <summary>A query box no feature lies in: it makes the store answer from its R*Tree with only the collection's revision.</summary>
    private static readonly Envelope s_nowhere = new(-1, -1, -1, -1);

    private const int AllFeatures = 1_000_000;

    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private Snapshot? _snapshot;

    /// <summary>A searchable name.</summary>
    /// <param name="Result">What a hit answers.</param>
    /// <param name="Keys">The texts it is found by, as <see cref="Normalise"/> writes them: its name and, for areas, its code; for an address its street and number and its postcode and number.</param>
    /// <param name="Order">Its type's place in the listing order.</param>
    /// <param name="DatasetId">The catalog dataset it belongs to.</param>
    internal sealed record Entry(SearchResult Result, string[] Keys, int Order, string? DatasetId);

    private sealed record Snapshot(string Key, IReadOnlyList<Entry> Entries);

    /// <summary>The entries, rebuilt first when the twin changed since the last build.</summary>
    public async Task<IReadOnlyList<Entry>> EntriesAsync(CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        if (_snapshot is { } current && current.Key == key)
        {
            return current.Entries;
        }

        await _rebuild.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot is { } built && built.Key == key)
            {
                return built.Entries;
            }

            var entries = await BuildAsync(cancellationToken).ConfigureAwait(false);
            _snapshot = new Snapshot(key, entries);
            return entries;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    /// <summary>Whether the index is built for the twin as it is now, so a search answers without building it.</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken cancellationToken) =>
        _snapshot is { } current && current.Key == await KeyAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The hits for <paramref name="needle"/> (a query as <see cref="Normalise"/> writes it) among what the caller may read, best first: entries of the
    /// <paramref name="readable"/> datasets, and sensors that name no dataset when <paramref name="unlabelled"/> (as <see cref="SensorVisibility"/>).
    /// </summary>
    public static IEnumerable<Entry> Rank(IReadOnlyList<Entry> entries, string needle, IReadOnlySet<string> readable, bool unlabelled)
    {
        return entries
            .Where(e => e.DatasetId is null ? unlabelled : readable.Contains(e.DatasetId))
            .Select(e => (Entry: e, Score: e.Keys.Min(k => Score(k, needle))))
            .Where(s => s.Score < NoMatch)
            .OrderBy(s => s.Score)
            .ThenBy(s => s.Entry.Order)
            .ThenBy(s => s.Entry.Result.Label.Length)
            .ThenBy(s => s.Entry.Result.Label, StringComparer.Ordinal)
            .Select(s => s.Entry);
    }

    private const int NoMatch = 3;

    /// <summary>
    /// A query as the keys are written: lower case, single spaces, a postcode without its space ("3311 AB" → "3311ab")
    /// and a house letter against its number ("12 a", "12-A" → "12a"), so the ways people write an address find it.
    /// </summary>
    public static string Normalise(string text)
    {
        var spaced = Whitespace().Replace(text.Trim().ToLowerInvariant(), " ");
        return HouseLetter().Replace(Postcode().Replace(spaced, "$1$2"), "$1$2");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>A Dutch postcode: four digits, then two letters, with or without a space.</summary>
    [GeneratedRegex(@"\b([1-9][0-9]{3}) ?([a-z]{2})\b")]
    private static partial Regex Postcode();

    /// <summary>A house number with a one-letter house letter after a space or hyphen.</summary>
    [GeneratedRegex(@"\b([0-9]{1,5}) ?-? ?([a-z])\b")]
    private static partial Regex HouseLetter();

    /// <summary>0 exact, 1 prefix of the key or of one of its words, 2 substring, <see cref="NoMatch"/> otherwise.</summary>
    private static int Score(string key, string needle)
    {
        if (key == needle)
        {
            return 0;
        }

        var at = key.IndexOf(needle, StringComparison.Ordinal);
        if (at < 0)
        {
            return NoMatch;
        }

        return at == 0 || key.Contains(" " + needle, StringComparison.Ordinal) ? 1 : 2;
    }

    /// <summary>What the index depends on: the day (features are read as of today) and the revisions.</summary>
    private async Task<string> KeyAsync(CancellationToken cancellationToken)
    {
        var parts = new List<string> { DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).ToString("O", CultureInfo.InvariantCulture), sensorRevision.Current.ToString(CultureInfo.InvariantCulture) };
        foreach (var (collection, _) in s_collections)
        {
            var page = await features.QueryVersionsAsync(
                new FeatureQuery(collection, TemporalFilter.Between(null, null), Bbox: s_nowhere, Limit: 1), cancellationToken).ConfigureAwait(false);
            parts.Add(page.Revision.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join('/', parts);
    }

    private async Task<IReadOnlyList<Entry>> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = new List<Entry>();
        foreach (var (collection, type) in s_collections)
        {
            var order = Array.IndexOf(s_typeOrder, type);
            var page = await features.QueryAsync(new FeatureQuery(collection, TemporalFilter.At(now), Limit: AllFeatures), cancellationToken).ConfigureAwait(false);
            if (type == "straat")
            {
                entries.AddRange(Streets(page.Items, order));
                continue;
            }

            if (type == "adres")
            {
                entries.AddRange(Addresses(page.Items, order));
                continue;
            }

            foreach (var feature in page.Items)
            {
                if (feature.Properties.GetValueOrDefault("naam") is not string name)
                {
                    continue;
                }

                var kind = feature.Properties.GetValueOrDefault("type") as string;
                var label = kind is null ? $"{name} ({feature.Id})" : $"{name} ({kind})";
                string[] keys = kind is null ? [Normalise(name), Normalise(feature.Id)] : [Normalise(name)];
                entries.Add(new Entry(Result(type, label, collection, feature.Id, feature.Geometry), keys, order, feature.DatasetId));
            }
        }

        entries.AddRange(await SensorsAsync(Array.IndexOf(s_typeOrder, "sensor"), cancellationToken).ConfigureAwait(false));
        return entries;
    }

    /// <summary>One entry per street name of a dataset: the union of its road links, found at its first link.</summary>
    private IEnumerable<Entry> Streets(IReadOnlyList<Feature> links, int order) =>
        links
            .Where(l => l.Properties.GetValueOrDefault("naam") is string { Length: > 0 })
            .GroupBy(l => ((string)l.Properties["naam"]!, l.DatasetId))
            .Select(g =>
            {
                var first = g.OrderBy(l => l.Id, StringComparer.Ordinal).First();
                var extent = new Envelope();
                foreach (var link in g)
                {
                    extent.ExpandToInclude(link.Geometry.EnvelopeInternal);
                }

                var point = first.Geometry.InteriorPoint.Coordinate;
                return new Entry(
                    new SearchResult("straat", g.Key.Item1, TwinCollections.Wegvakken, first.Id, Crs84(point), Crs84(extent)),
                    [Normalise(g.Key.Item1)], order, g.Key.DatasetId);
            });

    /// <summary>
    /// One entry per building with an address (BAG-like <c>openbareruimtenaam</c>, <c>huisnummer</c>, <c>huisletter</c>,
    /// <c>postcode</c>), found by street and number or by postcode and number; the hit is the building itself.
    /// </summary>
    private IEnumerable<Entry> Addresses(IReadOnlyList<Feature> buildings, int order)
    {
        foreach (var building in buildings)
        {
            var properties = building.Properties;
            if (properties.GetValueOrDefault("openbareruimtenaam") is not string street || properties.GetValueOrDefault("huisnummer") is not long number)
            {
                continue;
            }

            var house = number.ToString(CultureInfo.InvariantCulture) + (properties.GetValueOrDefault("huisletter") as string);
            var postcode = properties.GetValueOrDefault("postcode") as string;
            var label = postcode is { Length: 6 } ? $"{street} {house}, {postcode[..4]} {postcode[4..]}" : $"{street} {house}";
            string[] keys = postcode is null ? [Normalise($"{street} {house}")] : [Normalise($"{street} {house}"), Normalise($"{postcode} {house}")];
            yield return new Entry(Result("adres", label, TwinCollections.Panden, building.Id, building.Geometry), keys, order, building.DatasetId);
        }
    }

    private async Task<IEnumerable<Entry>> SensorsAsync(int order, CancellationToken cancellationToken)
    {
        var points = new Dictionary<long, Point>();
        foreach (var location in await AllAsync<Domain.Sensors.Location>(cancellationToken).ConfigureAwait(false))
        {
            if (location.Geometry is Point point)
            {
                points[location.Id] = point;
            }
        }

        var entries = new List<Entry>();
        foreach (var thing in await AllAsync<Thing>(cancellationToken).ConfigureAwait(false))
        {
            var located = (await sensors.ThingLocationsAsync(thing.Id, cancellationToken).ConfigureAwait(false))
                .Select(points.GetValueOrDefault).OfType<Point>().FirstOrDefault();
            if (located is null)
            {
                continue;
            }

            // Sensor locations are stored in CRS84 already (SensorThings uses WGS 84 longitude, latitude).
            var at = new[] { located.X, located.Y };
            var kind = SensorCollection.KindOf(thing);
            entries.Add(new Entry(
                new SearchResult("sensor", kind is null ? thing.Name : $"{thing.Name} ({kind})", TwinCollections.Sensoren, thing.Id.ToString(CultureInfo.InvariantCulture), at, [at[0], at[1], at[0], at[1]]),
                [Normalise(thing.Name)], order, SensorCollection.DatasetOf(thing)));
        }

        return entries;
    }

    private async Task<List<T>> AllAsync<T>(CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        const int PageSize = 1_000;
        var all = new List<T>();
        long after = 0;
        while (true)
        {
            var page = await sensors.ListAsync<T>(after, PageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all;
            }

            after = page[^1].Id;
        }
    }

    private SearchResult Result(string type, string label, string collection, string id, Geometry geometry) =>
        new(type, label, collection, id, Crs84(geometry.InteriorPoint.Coordinate), Crs84(geometry.EnvelopeInternal));

    private double[] Crs84(Coordinate coordinate)
    {
        double x = coordinate.X, y = coordinate.Y;
        crs.Transform(Crs.RdNewSrid, Crs.Crs84Srid, ref x, ref y);
        return [Math.Round(x, 6), Math.Round(y, 6)];
    }

    private double[] Crs84(Envelope extent)
    {
        var e = crs.Transform(extent, Crs.RdNewSrid, Crs.Crs84Srid);
        return [Math.Round(e.MinX, 6), Math.Round(e.MinY, 6), Math.Round(e.MaxX, 6), Math.Round(e.MaxY, 6)];
    }
}
