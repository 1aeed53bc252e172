using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Features;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Disclosure;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>/api/v1/gebieden</c>: the municipality, its wijken and buurten as of a reference date
/// (<c>peildatum</c>), each with the latest value of every indicator on or before that date.
/// </summary>
internal static class Gebieden
{
    private static readonly (string Level, string Collection)[] s_levels =
    [
        ("gemeente", TwinCollections.Gemeenten),
        ("wijk", TwinCollections.Wijken),
        ("buurt", TwinCollections.Buurten),
    ];

    public static async Task<Results<Ok<IReadOnlyList<AreaView>>, ProblemHttpResult>> List(
        HttpContext http, IFeatureStore features, IndicatorDisclosure indicators, ReadAccess access, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "niveau", "peildatum") is { } unknown)
        {
            return unknown;
        }

        var (date, dateProblem) = PlatformApi.ReferenceDate(query, time);
        if (dateProblem is not null)
        {
            return dateProblem;
        }

        var levels = s_levels;
        if (query.TryGetValue("niveau", out var level))
        {
            levels = [.. s_levels.Where(l => l.Level == level.ToString())];
            if (levels.Length == 0)
            {
                return ProblemType.InvalidParameter.With($"'niveau' must be gemeente, wijk or buurt; got '{level}'.");
            }
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        var areas = new List<(string Level, Feature Feature)>();
        foreach (var (name, collection) in levels)
        {
            var page = await features.QueryAsync(
                new FeatureQuery(collection, TemporalFilter.At(Instant(date)), Limit: ItemsLimit, DatasetIds: readable), cancellationToken);
            areas.AddRange(page.Items.Select(f => (name, f)));
        }

        var values = await VisibleValuesAsync(indicators, http, [.. areas.Select(a => a.Feature.Id)], date, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AreaView>>([.. areas.Select(a => AreaView.From(a.Level, a.Feature, date, values, http.Request))]);
    }

    public static async Task<Results<Ok<AreaView>, ProblemHttpResult>> Get(
        string code, HttpContext http, IFeatureStore features, IndicatorDisclosure indicators, ReadAccess access, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "peildatum") is { } unknown)
        {
            return unknown;
        }

        var (date, dateProblem) = PlatformApi.ReferenceDate(query, time);
        if (dateProblem is not null)
        {
            return dateProblem;
        }

        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        foreach (var (level, collection) in s_levels)
        {
            var feature = await features.FindAsync(collection, code, Instant(date), cancellationToken);
            if (feature is not null && readable.Contains(feature.DatasetId))
            {
                var values = await VisibleValuesAsync(indicators, http, [code], date, cancellationToken);
                return TypedResults.Ok(AreaView.From(level, feature, date, values, http.Request));
            }
        }

        return ProblemType.NotFound.With($"There is no gemeente, wijk or buurt '{code}' on {date:yyyy-MM-dd}.");
    }

    /// <summary>The largest number of areas of one level listed at once: far above any municipality (Amsterdam has about 480 buurten).</summary>
    private const int ItemsLimit = 10_000;

    private static DateTimeOffset Instant(DateOnly date) => new(date, TimeOnly.MinValue, TimeSpan.Zero);

    /// <summary>Indicator values through the disclosure seam: protected for a caller who may not read their personal-data source.</summary>
    private static async Task<ILookup<string, (IndicatorValue Value, IndicatorDefinition Definition)>> VisibleValuesAsync(
        IndicatorDisclosure indicators, HttpContext http, IReadOnlyCollection<string> areaCodes, DateOnly date, CancellationToken cancellationToken)
    {
        var values = await indicators.ValuesAsOfAsync(ReadAccess.CallerOf(http), areaCodes, date, cancellationToken);
        return values.ToLookup(v => v.Value.AreaCode, v => (v.Value, v.Indicator.Definition), StringComparer.Ordinal);
    }
}

/// <summary>An area with its indicator values as of a date.</summary>
internal sealed record AreaView(
    string Code,
    string Naam,
    string Niveau,
    string? BovenliggendGebied,
    DateOnly Peildatum,
    IReadOnlyList<AreaIndicatorValue> Indicatoren,
    AreaLinks Links)
{
    public static AreaView From(
        string level, Feature feature, DateOnly date, ILookup<string, (IndicatorValue Value, IndicatorDefinition Definition)> values, HttpRequest request)
    {
        var parent = level switch
        {
            "buurt" => feature.Properties.GetValueOrDefault("wijkcode") as string,
            "wijk" => feature.Properties.GetValueOrDefault("gemeentecode") as string,
            _ => null,
        };
        var collection = level switch { "gemeente" => TwinCollections.Gemeenten, "wijk" => TwinCollections.Wijken, _ => TwinCollections.Buurten };
        var host = $"{request.Scheme}://{request.Host}";
        return new AreaView(
            feature.Id,
            feature.Properties.GetValueOrDefault("naam") as string ?? feature.Id,
            level,
            parent,
            date,
            [.. values[feature.Id].Select(v => new AreaIndicatorValue(v.Value.IndicatorCode, v.Definition.Name, v.Value.Value, v.Definition.Unit, v.Value.ReferenceDate))],
            new AreaLinks(
                new PlatformApi.Link($"{host}{PlatformApi.Prefix}/gebieden/{Uri.EscapeDataString(feature.Id)}"),
                new PlatformApi.Link($"{host}/ogc/collections/{collection}/items/{Uri.EscapeDataString(feature.Id)}")));
    }
}

/// <summary>One indicator value of an area.</summary>
internal sealed record AreaIndicatorValue(string Code, string Naam, double? Waarde, string Eenheid, DateOnly Peildatum);

/// <summary>Links of an area: itself, and its geometry in OGC API – Features.</summary>
internal sealed record AreaLinks(PlatformApi.Link Self, PlatformApi.Link Geometrie);
