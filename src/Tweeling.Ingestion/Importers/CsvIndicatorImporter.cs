using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Indicators;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// Imports any indicator keyed on CBS area code and date: the municipality's own tables (monitor
/// figures, survey results, counts per buurt) in one simple CSV format.
/// </summary>
/// <remarks>
/// <para>Format: UTF-8, comma-separated, header <c>gebiedscode,peildatum,&lt;indicator&gt;[,&lt;indicator&gt;…]</c>.
/// <c>gebiedscode</c> is a CBS code (GM…, WK…, BU…) that must exist in the store on the row's date;
/// <c>peildatum</c> is an ISO date (<c>yyyy-MM-dd</c>), the reference date of the row's values. Indicator
/// columns are named with a code (letters, digits, <c>_</c>, starting with a letter); cells are invariant
/// numbers (decimal point, no thousands separator), and an empty cell or <c>.</c> means no value. One area
/// may have rows for several dates, but not two rows for the same date.</para>
/// <para>An optional sidecar <c>&lt;file&gt;.meta.json</c> documents the indicators and the dataset:
/// <code>
/// { "dataset": { "title": "…", "description": "…", "publisher": "Gemeente Dordrecht", "publisherUri": "https://…",
///                "license": "http://creativecommons.org/licenses/by/4.0/", "classification": "Open" },
///   "indicators": { "eenzaamheid": { "name": "…", "unit": "%", "description": "…", "method": "…", "personalData": true } } }
/// </code>
/// Without it the code doubles as name and description and the unit is unknown. The dataset is
/// classified as the sidecar says, else <see cref="Classification.Internal"/>: a municipality's own
/// table is not open data until someone decides it is. The request's valid-from date is not used; every
/// row carries its own date.</para>
/// </remarks>
public sealed partial class CsvIndicatorImporter : IImporter
{
    private static readonly JsonSerializerOptions s_metaOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <inheritdoc />
    public string Kind => "csv-indicator";

    /// <inheritdoc />
    public string Description => "Indicators per area and date: CSV 'gebiedscode,peildatum,<indicator>…' with an optional <file>.meta.json.";

    /// <inheritdoc />
    public Task<ImportResult> ImportAsync(ImportRequest request, ImportContext context, CancellationToken ct) =>
        ImportPlan.RunAsync(context, () => Parse(request, context.Time.GetUtcNow()), ct);

    /// <summary>Reads and validates the whole file into a plan; writes nothing. Area codes are checked against the store later.</summary>
    internal ImportPlan Parse(ImportRequest request, DateTimeOffset now)
    {
        var file = SourceFile.Read(request.FilePath);
        var table = CsvTable.Parse(file);
        if (table.Header.Count < 3
            || !string.Equals(table.Header[0], "gebiedscode", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(table.Header[1], "peildatum", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportException(file.Path, "line 1", "the header must be 'gebiedscode,peildatum,<indicator>[,<indicator>…]'");
        }

        var codes = table.Header.Skip(2).ToList();
        if (codes.FirstOrDefault(c => !IndicatorCode().IsMatch(c)) is { } badCode)
        {
            throw new ImportException(file.Path, "line 1", $"'{badCode}' is not an indicator code: use letters, digits and '_', starting with a letter");
        }

        var meta = ReadMeta(file);
        var datasetId = file.DatasetId(Kind, request.DatasetId);
        var values = new List<IndicatorValue>(codes.Count * table.Rows.Count);
        var references = new List<AreaReference>(table.Rows.Count);
        var seen = new Dictionary<(string, DateOnly), int>();
        foreach (var row in table.Rows)
        {
            var area = row.Fields[0].Trim();
            if (ImportPlan.CollectionOfAreaCode(area) is null)
            {
                throw new ImportException(file.Path, $"line {row.Line}", $"unknown area code '{area}': a gebiedscode is a CBS code starting with GM, WK or BU");
            }

            if (!DateOnly.TryParseExact(row.Fields[1].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new ImportException(file.Path, $"line {row.Line}", $"peildatum '{row.Fields[1]}' is not an ISO date (yyyy-MM-dd)");
            }

            if (!seen.TryAdd((area, date), row.Line))
            {
                throw new ImportException(file.Path, $"line {row.Line}", $"duplicate id: '{area}' on {date:yyyy-MM-dd} also appears on line {seen[(area, date)]}");
            }

            references.Add(new AreaReference(area, row.Line, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
            for (var c = 2; c < table.Header.Count; c++)
            {
                values.Add(new IndicatorValue(table.Header[c], area, date, IndicatorNumbers.Parse(file, row, table.Header[c], row.Fields[c])));
            }
        }

        var definitions = codes.Select(code =>
        {
            var m = meta.Indicators?.GetValueOrDefault(code);
            return new IndicatorDefinition(
                code,
                m?.Name ?? code,
                m?.Description ?? code,
                m?.Unit ?? "onbekend",
                datasetId,
                m?.Method ?? $"Supplied in {file.Name}; the method was not documented.",
                m?.PersonalData ?? false);
        }).ToList();

        var d = meta.Dataset;
        var publisher = d?.Publisher is { } name ? new Agent(name, d.PublisherUri ?? "urn:tweeling:agent:" + Uri.EscapeDataString(name)) : Agents.Unknown;
        var dates = seen.Keys.Select(k => k.Item2).ToList();
        var dataset = new Dataset(
            datasetId,
            d?.Title ?? $"Indicators from {file.Name}",
            d?.Description ?? string.Create(CultureInfo.InvariantCulture, $"{codes.Count} indicator(s) ({string.Join(", ", codes)}) for {seen.Keys.Select(k => k.Item1).Distinct().Count()} areas, {dates.Min():yyyy-MM-dd} to {dates.Max():yyyy-MM-dd}."),
            publisher,
            publisher,
            Agents.DataTeam,
            [CatalogVocabulary.ThemeSociety],
            d?.Classification ?? Classification.Internal,
            d?.LegalBasis ?? "Not documented in the sidecar; to be completed by the data steward.",
            ["beleidsanalyse per wijk en buurt"],
            d?.License ?? "urn:tweeling:license:unspecified",
            now,
            CatalogVocabulary.FrequencyIrregular,
            null,
            file.Lineage(Kind, now),
            IsSynthetic: false);
        return new ImportPlan(file.Path, dataset, [], definitions, values, references, Skipped: 0);
    }

    private static IndicatorMeta ReadMeta(SourceFile csv)
    {
        var path = csv.Path + ".meta.json";
        if (!File.Exists(path))
        {
            return new IndicatorMeta(null, null);
        }

        var file = SourceFile.Read(path);
        try
        {
            return JsonSerializer.Deserialize<IndicatorMeta>(file.Utf8.Span, s_metaOptions) ?? new IndicatorMeta(null, null);
        }
        catch (JsonException e)
        {
            throw JsonSource.Malformed(file, e);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex IndicatorCode();

    /// <summary>The sidecar <c>&lt;file&gt;.meta.json</c>.</summary>
    private sealed record IndicatorMeta(DatasetMeta? Dataset, Dictionary<string, IndicatorMetaEntry>? Indicators);

    /// <summary>Dataset fields a sidecar may set.</summary>
    private sealed record DatasetMeta(
        string? Title,
        string? Description,
        string? Publisher,
        string? PublisherUri,
        string? License,
        string? LegalBasis,
        Classification? Classification);

    /// <summary>What a sidecar says about one indicator.</summary>
    private sealed record IndicatorMetaEntry(string? Name, string? Unit, string? Description, string? Method, bool? PersonalData);
}
