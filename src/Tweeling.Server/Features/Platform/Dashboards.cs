using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Disclosure;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// The theme dashboards <c>/api/v1/dashboards/armoede</c> and <c>/api/v1/dashboards/binnenstad</c>: figures per area with
/// the source datasets and classification of each figure, as JSON, or exported as CSV or GeoJSON
/// (<c>?formaat=csv|geojson</c> or the <c>Accept</c> header). Indicators come only through <see cref="IndicatorDisclosure"/>,
/// so a caller who may not read the household register sees its figures disclosure-controlled; figures computed here
/// read only the features and sensors the caller may read.
/// </summary>
internal static class Dashboards
{
    public const string CsvMediaType = "text/csv";
    public const string GeoJsonMediaType = "application/geo+json";

    /// <summary>The armoede dashboard's indicators: open context first, then the register's (disclosure-controlled for most callers).</summary>
    private static readonly (string Code, string Theme)[] s_povertyIndicators =
    [
        ("huishoudens", "context"),
        ("huishoudens_laag_inkomen_pct", "armoede"),
        ("register_huishoudens_laag_inkomen", "armoede"),
        ("register_besteedbaar_inkomen_gemiddeld", "armoede"),
        ("register_huishoudens_betalingsachterstand", "schulden"),
        ("register_huishoudens_multiprobleem", "multiproblematiek"),
    ];

    /// <summary>Hours of sensor history behind a sensor figure: one day, so day and night both count.</summary>
    private const int SensorWindowHours = 24;

    private const int AllFeatures = 1_000_000;

    /// <summary>The same member names as the JSON responses (camelCase).</summary>
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web) { Encoder = JsonOutput.Encoder };

    public static async Task<IResult> Armoede(
        HttpContext http, IFeatureStore features, IndicatorDisclosure indicators, ICatalog catalog, ReadAccess access, CrsTransformer crs, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Parse(http, time, out var date, out var format) is { } problem)
        {
            return problem;
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        var areas = new List<(string Level, Feature Feature)>();
        foreach (var (level, collection) in new[] { ("wijk", TwinCollections.Wijken), ("buurt", TwinCollections.Buurten) })
        {
            var page = await features.QueryAsync(new FeatureQuery(collection, TemporalFilter.At(Instant(date)), Limit: AllFeatures, DatasetIds: readable), cancellationToken);
            areas.AddRange(page.Items.Select(f => (level, f)));
        }

        var caller = ReadAccess.CallerOf(http);
        var visible = (await indicators.VisibleAsync(caller, cancellationToken)).ToDictionary(v => v.Definition.Code, StringComparer.Ordinal);
        var datasets = (await catalog.ListAsync(cancellationToken)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var figures = new List<DashboardFigure>();
        foreach (var (code, theme) in s_povertyIndicators)
        {
            if (visible.TryGetValue(code, out var indicator) && datasets.TryGetValue(indicator.Definition.SourceDatasetId, out var source))
            {
                figures.Add(new DashboardFigure(
                    code, indicator.Definition.Name, theme, indicator.Definition.Unit, [source.Id], DatasetView.ClassificationName(source.Classification), indicator.IsProtected));
            }
        }

        var values = await indicators.ValuesAsOfAsync(caller, [.. areas.Select(a => a.Feature.Id)], date, cancellationToken);
        var byArea = values.ToLookup(v => v.Value.AreaCode, StringComparer.Ordinal);
        var rows = areas.Select(a => new DashboardRow(
            a.Feature.Id, Name(a.Feature), a.Level, a.Feature.Geometry,
            figures.ToDictionary(f => f.Code, f => byArea[a.Feature.Id].FirstOrDefault(v => v.Value.IndicatorCode == f.Code).Value?.Value, StringComparer.Ordinal)))
            .ToList();
        return Render(http, crs, new DashboardData("armoede", "Armoede en multiproblematiek", date, figures, rows), format);
    }

    public static async Task<IResult> Binnenstad(
        HttpContext http, IFeatureStore features, ISensorStore sensors, IObservationStore observations, IndicatorDisclosure indicators, ICatalog catalog,
        ReadAccess access, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Parse(http, time, out var date, out var format) is { } problem)
        {
            return problem;
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        async Task<IReadOnlyList<Feature>> ReadAsync(string collection) =>
            (await features.QueryAsync(new FeatureQuery(collection, TemporalFilter.At(Instant(date)), Limit: AllFeatures, DatasetIds: readable), cancellationToken)).Items;

        var buurten = await ReadAsync(TwinCollections.Buurten);
        var cover = await ReadAsync(TwinCollections.Groenvlakken);
        var facilities = (await ReadAsync(TwinCollections.Voorzieningen)).Where(f => Text(f, "type") == "huisarts").ToList();
        var mainRoads = (await ReadAsync(TwinCollections.Wegvakken)).Where(f => Text(f, "wegklasse") is "stroomweg" or "gebiedsontsluitingsweg").ToList();
        var population = (await indicators.ValuesAsOfAsync(ReadAccess.CallerOf(http), [.. buurten.Select(b => b.Id)], date, cancellationToken))
            .Where(v => v.Value.IndicatorCode == "inwoners").ToList();
        var residents = population.ToDictionary(v => v.Value.AreaCode, v => v.Value.Value, StringComparer.Ordinal);
        var datasets = (await catalog.ListAsync(cancellationToken)).ToDictionary(d => d.Id, StringComparer.Ordinal);

        // Land cover per buurt in m²: green, paved, and all classes together (the buurt's covered surface).
        var area = cover.GroupBy(c => Text(c, "buurtcode") ?? "").ToDictionary(
            g => g.Key,
            g => (Green: g.Where(c => Text(c, "bodemgebruik") == "groen").Sum(Area), Paved: g.Where(c => Text(c, "bodemgebruik") == "verhard").Sum(Area), All: g.Sum(Area)),
            StringComparer.Ordinal);
        // The sensor figures cover the chosen day, or without a peildatum the last 24 hours.
        var end = http.Request.Query.ContainsKey("peildatum") ? Instant(date.AddDays(1)) : time.GetUtcNow();
        var visibility = await access.SensorVisibilityAsync(http, cancellationToken);
        var sensorMeans = await SensorMeansAsync(sensors, observations, visibility, crs, buurten, end.AddHours(-SensorWindowHours), end, cancellationToken);

        var figures = new List<DashboardFigure>();
        var columns = new List<Func<Feature, double?>>();
        void Add(DashboardFigure figure, Func<Feature, double?> value)
        {
            figures.Add(figure);
            columns.Add(value);
        }

        DashboardFigure Figure(string code, string name, string theme, string unit, IEnumerable<string> sources)
        {
            var known = sources.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Where(datasets.ContainsKey).ToList();
            var classification = known.Count == 0 ? Classification.Open : known.Max(id => datasets[id].Classification);
            return new DashboardFigure(code, name, theme, unit, known, DatasetView.ClassificationName(classification), Beschermd: false);
        }

        foreach (var (kind, code, name, theme, unit) in s_sensorFigures)
        {
            var means = sensorMeans.GetValueOrDefault(kind);
            Add(Figure(code, name, theme, unit, means?.Datasets ?? []), b => means?.ByBuurt.GetValueOrDefault(b.Id));
        }

        Add(Figure("groen_per_inwoner", "Groen per inwoner", "gezondheid", "m2", [.. cover.Select(c => c.DatasetId), .. population.Select(p => p.Indicator.Definition.SourceDatasetId)]),
            b => area.TryGetValue(b.Id, out var a) && residents.GetValueOrDefault(b.Id) is double people and > 0 ? Math.Round(a.Green / people, 1) : null);
        Add(Figure("verhard_pct", "Verhard oppervlak (hittestress)", "gezondheid", "%", cover.Select(c => c.DatasetId)),
            b => area.TryGetValue(b.Id, out var a) && a.All > 0 ? Math.Round(100 * a.Paved / a.All, 1) : null);
        Add(Figure("afstand_huisarts", "Afstand tot de dichtstbijzijnde huisarts", "gezondheid", "m", facilities.Select(f => f.DatasetId)),
            b => Nearest(b, facilities));
        Add(Figure("afstand_hoofdweg", "Afstand tot de dichtstbijzijnde hoofdweg", "bereikbaarheid", "m", mainRoads.Select(r => r.DatasetId)),
            b => Nearest(b, mainRoads));

        var rows = buurten.Select(b => new DashboardRow(
            b.Id, Name(b), "buurt", b.Geometry,
            figures.Select((f, k) => (f.Code, Value: columns[k](b))).ToDictionary(p => p.Code, p => p.Value, StringComparer.Ordinal))).ToList();
        return Render(http, crs, new DashboardData("binnenstad", "Leefbare binnenstad", date, figures, rows), format);
    }

    /// <summary>The figures from sensors: the mean of one day's hourly rollups of the sensors of one kind in each buurt.</summary>
    private static readonly (string Kind, string Code, string Name, string Theme, string Unit)[] s_sensorFigures =
    [
        ("No2", "no2", "Stikstofdioxide (daggemiddelde)", "gezondheid", "µg/m³"),
        ("Pm25", "pm25", "Fijnstof PM2,5 (daggemiddelde)", "gezondheid", "µg/m³"),
        ("TrafficCount", "verkeer", "Motorvoertuigen per kwartier (daggemiddelde)", "bereikbaarheid", "aantal"),
        ("CrowdCount", "drukte", "Passanten per kwartier (daggemiddelde; drukte als maat voor veiligheid)", "veiligheid", "aantal"),
    ];

    private sealed record SensorMeans(IReadOnlyDictionary<string, double?> ByBuurt, IReadOnlyList<string> Datasets);

    private static async Task<Dictionary<string, SensorMeans>> SensorMeansAsync(
        ISensorStore sensors, IObservationStore observations, SensorVisibility visibility, CrsTransformer crs, IReadOnlyList<Feature> buurten,
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var kinds = s_sensorFigures.Select(f => f.Kind).ToHashSet(StringComparer.Ordinal);
        var points = (await AllAsync<Domain.Sensors.Location>(sensors, cancellationToken)).Where(l => l.Geometry is Point).ToDictionary(l => l.Id, l => (Point)l.Geometry);
        var streams = (await AllAsync<Datastream>(sensors, cancellationToken)).ToLookup(d => d.ThingId);
        var located = new List<(string Kind, string Buurt, string? Dataset, long[] Streams)>();
        foreach (var thing in await AllAsync<Thing>(sensors, cancellationToken))
        {
            if (!visibility.Sees(thing) || SensorCollection.KindOf(thing) is not { } kind || !kinds.Contains(kind))
            {
                continue;
            }

            var point = (await sensors.ThingLocationsAsync(thing.Id, cancellationToken)).Select(points.GetValueOrDefault).OfType<Point>().FirstOrDefault();
            if (point is null)
            {
                continue;
            }

            // Sensor locations are CRS84; buurten are stored in RD New.
            double x = point.X, y = point.Y;
            crs.Transform(Crs.Crs84Srid, Crs.RdNewSrid, ref x, ref y);
            var at = new Coordinate(x, y);
            if (buurten.FirstOrDefault(b => b.Geometry.EnvelopeInternal.Contains(at) && b.Geometry.Contains(b.Geometry.Factory.CreatePoint(at))) is { } buurt)
            {
                located.Add((kind, buurt.Id, SensorCollection.DatasetOf(thing), [.. streams[thing.Id].Select(d => d.Id)]));
            }
        }

        var rollups = await observations.RollupsAsync([.. located.SelectMany(l => l.Streams)], RollupGranularity.Hour, from, to, cancellationToken);
        return located.GroupBy(l => l.Kind).ToDictionary(
            g => g.Key,
            g => new SensorMeans(
                g.GroupBy(l => l.Buurt).ToDictionary(
                    b => b.Key,
                    b =>
                    {
                        var buckets = b.SelectMany(l => l.Streams).SelectMany(s => rollups.GetValueOrDefault(s) ?? []).ToList();
                        var count = buckets.Sum(k => k.Count);
                        // Weighted by the number of observations in each hour, so a sensor that reported more often is not undercounted.
                        return count == 0 ? (double?)null : Math.Round(buckets.Sum(k => k.Mean * k.Count) / count, 1);
                    },
                    StringComparer.Ordinal),
                [.. g.Select(l => l.Dataset).OfType<string>().Distinct(StringComparer.Ordinal)]),
            StringComparer.Ordinal);
    }

    private static async Task<List<T>> AllAsync<T>(ISensorStore sensors, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        const int PageSize = 1_000;
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

    /// <summary>Metres from a point inside the buurt to the nearest of <paramref name="targets"/>, to 10 m; <c>null</c> when there is none.</summary>
    private static double? Nearest(Feature buurt, IReadOnlyList<Feature> targets)
    {
        if (targets.Count == 0)
        {
            return null;
        }

        var from = buurt.Geometry.InteriorPoint;
        return Math.Round(targets.Min(t => t.Geometry.Distance(from)) / 10) * 10;
    }

    private static double Area(Feature cover) => cover.Properties.GetValueOrDefault("oppervlakte") is double m2 ? m2 : cover.Geometry.Area;

    private static string? Text(Feature feature, string property) => feature.Properties.GetValueOrDefault(property) as string;

    private static string Name(Feature feature) => Text(feature, "naam") ?? feature.Id;

    private static DateTimeOffset Instant(DateOnly date) => new(date, TimeOnly.MinValue, TimeSpan.Zero);

    /// <summary>The export format: the <c>formaat</c> parameter, else the first of CSV or GeoJSON the <c>Accept</c> header names, else JSON.</summary>
    private static ProblemHttpResult? Parse(HttpContext http, TimeProvider time, out DateOnly date, out string format)
    {
        var query = http.Request.Query;
        date = default;
        format = "json";
        if (PlatformApi.RejectUnknown(query, "peildatum", "formaat") is { } unknown)
        {
            return unknown;
        }

        (date, var dateProblem) = PlatformApi.ReferenceDate(query, time);
        if (dateProblem is not null)
        {
            return dateProblem;
        }

        if (query.TryGetValue("formaat", out var asked))
        {
            format = asked.ToString();
            return format is "json" or "csv" or "geojson"
                ? null
                : ProblemType.InvalidParameter.With($"'formaat' must be json, csv or geojson; got '{asked}'.");
        }

        var accept = http.Request.Headers.Accept.ToString();
        format = accept.Contains(CsvMediaType, StringComparison.OrdinalIgnoreCase) ? "csv"
            : accept.Contains(GeoJsonMediaType, StringComparison.OrdinalIgnoreCase) ? "geojson"
            : "json";
        return null;
    }

    private static IResult Render(HttpContext http, CrsTransformer crs, DashboardData data, string format)
    {
        if (format == "json")
        {
            return TypedResults.Ok(DashboardView.From(data));
        }

        // An export is a file to keep: name it after the dashboard and the date it shows.
        var extension = format == "csv" ? "csv" : "geojson";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{data.Id}-{data.Date:yyyy-MM-dd}.{extension}\"";
        return format == "csv"
            ? TypedResults.Text(Csv(data), CsvMediaType + "; charset=utf-8; header=present", Encoding.UTF8)
            : TypedResults.Bytes(GeoJson(data, crs), GeoJsonMediaType);
    }

    /// <summary>RFC 4180 CSV: one row per area, one column per figure; an empty cell is a value that is not shown (suppressed or unknown).</summary>
    internal static string Csv(DashboardData data)
    {
        var csv = new StringBuilder();
        csv.Append("code,naam,niveau");
        foreach (var figure in data.Figures)
        {
            csv.Append(',').Append(Quote(figure.Code));
        }

        csv.Append("\r\n");
        foreach (var row in data.Rows)
        {
            csv.Append(Quote(row.Code)).Append(',').Append(Quote(row.Name)).Append(',').Append(row.Level);
            foreach (var figure in data.Figures)
            {
                csv.Append(',');
                if (row.Values[figure.Code] is { } value)
                {
                    csv.Append(value.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            csv.Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A GeoJSON FeatureCollection in CRS84, one feature per area, with the figures' metadata as the foreign member <c>kengetallen</c>.</summary>
    internal static byte[] GeoJson(DashboardData data, CrsTransformer crs)
    {
        var geometry = new GeoJsonWriter(crs, Crs.Crs84Srid);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteString("dashboard", data.Id);
            json.WriteString("peildatum", data.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WritePropertyName("kengetallen");
            JsonSerializer.Serialize(json, data.Figures, s_web);
            json.WriteStartArray("features");
            foreach (var row in data.Rows)
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteString("id", row.Code);
                json.WritePropertyName("geometry");
                geometry.WriteGeometry(json, row.Geometry);
                json.WriteStartObject("properties");
                json.WriteString("code", row.Code);
                json.WriteString("naam", row.Name);
                json.WriteString("niveau", row.Level);
                foreach (var figure in data.Figures)
                {
                    if (row.Values[figure.Code] is { } value)
                    {
                        json.WriteNumber(figure.Code, value);
                    }
                    else
                    {
                        json.WriteNull(figure.Code);
                    }
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>One figure of a dashboard.</summary>
/// <param name="Code">Its column name.</param>
/// <param name="Naam">What it is.</param>
/// <param name="Thema">The dashboard theme it belongs to (e.g. gezondheid, bereikbaarheid, veiligheid, armoede).</param>
/// <param name="Eenheid">Its unit.</param>
/// <param name="Bronnen">The catalog datasets it comes from.</param>
/// <param name="Classificatie">The strictest classification among its sources.</param>
/// <param name="Beschermd">Whether the caller sees it through disclosure control (suppressed cells are <c>null</c>).</param>
internal sealed record DashboardFigure(string Code, string Naam, string Thema, string Eenheid, IReadOnlyList<string> Bronnen, string Classificatie, bool Beschermd);

/// <summary>One area of a dashboard with its figures by code; <c>null</c> where a value is suppressed or unknown.</summary>
internal sealed record DashboardRow(string Code, string Name, string Level, Geometry Geometry, IReadOnlyDictionary<string, double?> Values);

/// <summary>What a dashboard shows, before it is written in a format.</summary>
internal sealed record DashboardData(string Id, string Title, DateOnly Date, IReadOnlyList<DashboardFigure> Figures, IReadOnlyList<DashboardRow> Rows);

/// <summary>A dashboard as JSON.</summary>
internal sealed record DashboardView(string Dashboard, string Titel, DateOnly Peildatum, IReadOnlyList<DashboardFigure> Kengetallen, IReadOnlyList<DashboardAreaView> Gebieden)
{
    public static DashboardView From(DashboardData data) =>
        new(data.Id, data.Title, data.Date, data.Figures, [.. data.Rows.Select(r => new DashboardAreaView(r.Code, r.Name, r.Level, r.Values))]);
}

/// <summary>One area of a dashboard as JSON.</summary>
internal sealed record DashboardAreaView(string Code, string Naam, string Niveau, IReadOnlyDictionary<string, double?> Waarden);
