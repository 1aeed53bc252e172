using System.Globalization;
using System.Text.Json;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Indicators;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// Imports CBS Kerncijfers wijken en buurten (KWB) from a CSV with a header row keyed on <c>regiocode</c>.
/// </summary>
/// <remarks>
/// <para>Every numeric column becomes an indicator whose code is the CBS variable key (e.g.
/// <c>AantalInwoners_5</c>), so values from different KWB years and from CBS's OData API line up. Name,
/// unit and description come from a CBS <c>*DataProperties.json</c> in the same folder when there is one;
/// its <c>Datatype</c> also tells text columns apart. Without it, a column is numeric when its first
/// filled-in value is a number.</para>
/// <para>The reference date is the request's date, else 1 January of the year in the file name
/// (<c>kwb2024…</c>): KWB figures describe the population on 1 January. CBS writes <c>.</c> or leaves the
/// cell empty when it withholds a value; that is stored as <c>null</c>, not as zero.</para>
/// <para>Every regiocode must be a gemeente, wijk or buurt in the store, valid on the reference date, so
/// values never dangle; import the areas first.</para>
/// </remarks>
public sealed class CbsKerncijfersImporter : IImporter
{
    /// <inheritdoc />
    public string Kind => "cbs-kerncijfers";

    /// <inheritdoc />
    public string Description => "CBS Kerncijfers wijken en buurten (CSV keyed on regiocode, with an optional *DataProperties.json beside it).";

    /// <inheritdoc />
    public Task<ImportResult> ImportAsync(ImportRequest request, ImportContext context, CancellationToken ct) =>
        ImportPlan.RunAsync(context, () => Parse(request, context.Time.GetUtcNow()), ct);

    /// <summary>Reads and validates the whole file into a plan; writes nothing. Area codes are checked against the store later.</summary>
    internal ImportPlan Parse(ImportRequest request, DateTimeOffset now)
    {
        var file = SourceFile.Read(request.FilePath);
        var table = CsvTable.Parse(file);
        var keyColumn = table.IndexOf("regiocode", "Codering_3", "WijkenEnBuurten");
        if (keyColumn < 0)
        {
            throw new ImportException(file.Path, "line 1", "no 'regiocode' column: the Kerncijfers CSV is keyed on the CBS area code");
        }

        var referenceDate = request.ValidFrom is { } from
            ? DateOnly.FromDateTime(from.UtcDateTime)
            : file.YearInName() is { } year
                ? new DateOnly(year, 1, 1)
                : throw new ImportException(file.Path, null, "no reference date: name the file with its year (e.g. kwb2024_….csv) or pass a valid-from date");
        var asOf = new DateTimeOffset(referenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var datasetId = file.DatasetId(Kind, request.DatasetId);
        var properties = ReadDataProperties(file, referenceDate.Year);

        var columns = new List<int>();
        for (var c = 0; c < table.Header.Count; c++)
        {
            if (c != keyColumn && IsNumericColumn(table, c, properties.GetValueOrDefault(table.Header[c])))
            {
                columns.Add(c);
            }
        }

        if (columns.Count == 0)
        {
            throw new ImportException(file.Path, "line 1", "no numeric CBS variable columns");
        }

        var values = new List<IndicatorValue>(columns.Count * table.Rows.Count);
        var references = new List<AreaReference>(table.Rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var code = row.Fields[keyColumn].Trim();
            if (code.Length == 0)
            {
                throw new ImportException(file.Path, $"line {row.Line}", "empty regiocode");
            }

            if (!seen.TryAdd(code, row.Line))
            {
                throw new ImportException(file.Path, $"line {row.Line}", $"duplicate id: regiocode '{code}' also appears on line {seen[code]}");
            }

            references.Add(new AreaReference(code, row.Line, asOf));
            foreach (var c in columns)
            {
                var value = IndicatorNumbers.Parse(file, row, table.Header[c], row.Fields[c]);
                values.Add(new IndicatorValue(table.Header[c], code, referenceDate, value));
            }
        }

        var method = $"As published by CBS in Kerncijfers wijken en buurten {referenceDate.Year} (file {file.Name}); withheld or unavailable values ('.' or empty) are null.";
        var definitions = columns.Select(c =>
        {
            var key = table.Header[c];
            var meta = properties.GetValueOrDefault(key);
            return new IndicatorDefinition(
                key,
                Filled(meta?.Title) ?? key,
                Filled(meta?.Description) ?? key,
                Filled(meta?.Unit) ?? key,
                datasetId,
                method,
                IsPersonalData: false);
        }).ToList();

        var gemeenten = seen.Keys.Where(k => k.Length >= 6).Select(k => "GM" + k[2..6]).Distinct().Order(StringComparer.Ordinal);
        var dataset = new Dataset(
            datasetId,
            $"CBS Kerncijfers wijken en buurten {referenceDate.Year}",
            $"Key figures per gemeente, wijk and buurt ({columns.Count} variables, {table.Rows.Count} areas) on {referenceDate:yyyy-MM-dd}, from {file.Name}.",
            Agents.Cbs,
            Agents.Cbs,
            Agents.DataTeam,
            [CatalogVocabulary.ThemeSociety, CatalogVocabulary.ThemeRegions],
            Classification.Open,
            Agents.PublicTaskBasis,
            ["beleidsanalyse per wijk en buurt", "monitoring"],
            CatalogVocabulary.LicenseCcBy40,
            now,
            CatalogVocabulary.FrequencyAnnual,
            string.Join(" ", gemeenten),
            file.Lineage(Kind, now) + " Source: CBS StatLine, Kerncijfers wijken en buurten (Bron: CBS). CBS applies its own disclosure control before publishing.",
            IsSynthetic: false);
        return new ImportPlan(file.Path, dataset, [], definitions, values, references, Skipped: 0);
    }

    private static string? Filled(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsNumericColumn(CsvTable table, int column, DataProperty? meta)
    {
        if (meta?.Datatype is { } datatype)
        {
            return !string.Equals(datatype, "String", StringComparison.OrdinalIgnoreCase);
        }

        var first = table.Rows.Select(r => r.Fields[column].Trim()).FirstOrDefault(v => !IndicatorNumbers.IsMissing(v));
        return first is not null && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>
    /// Reads the CBS DataProperties beside the CSV: the one whose name holds the reference year when there
    /// are several, else the first by name. A broken DataProperties file is an error, not silently ignored,
    /// because it would turn every unit into a guess.
    /// </summary>
    private static Dictionary<string, DataProperty> ReadDataProperties(SourceFile csv, int year)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(csv.Path))!;
        var candidates = Directory.GetFiles(folder, "*DataProperties.json").Order(StringComparer.Ordinal).ToList();
        var path = candidates.FirstOrDefault(p => Path.GetFileName(p).Contains(year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            ?? candidates.FirstOrDefault();
        if (path is null)
        {
            return new(StringComparer.Ordinal);
        }

        var file = SourceFile.Read(path);
        using var document = JsonSource.Parse(file);
        var root = document.RootElement;
        var items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out var wrapped) ? wrapped : root;
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new ImportException(file.Path, null, "a CBS DataProperties file must be a JSON array (or an OData object with 'value')");
        }

        var result = new Dictionary<string, DataProperty>(StringComparer.Ordinal);
        foreach (var item in items.EnumerateArray())
        {
            if (JsonSource.Text(item, "Key") is { Length: > 0 } key)
            {
                result[key] = new DataProperty(
                    JsonSource.Text(item, "Title"),
                    JsonSource.Text(item, "Description"),
                    JsonSource.Text(item, "Unit"),
                    JsonSource.Text(item, "Datatype"));
            }
        }

        return result;
    }

    /// <summary>The parts of a CBS DataProperties entry the importer uses.</summary>
    private sealed record DataProperty(string? Title, string? Description, string? Unit, string? Datatype);
}

/// <summary>Parses indicator cells: invariant numbers, with <c>.</c> and empty meaning "no value".</summary>
internal static class IndicatorNumbers
{
    /// <summary>True for the cells CBS uses for a withheld or unavailable value.</summary>
    public static bool IsMissing(string field) => field.Length == 0 || field == ".";

    /// <summary>The value of a cell, <c>null</c> when missing; anything else that is not a number is an error naming the line.</summary>
    public static double? Parse(SourceFile file, CsvRow row, string column, string field)
    {
        var text = field.Trim();
        if (IsMissing(text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ImportException(file.Path, $"line {row.Line}", $"'{text}' in column '{column}' is not a number (use a decimal point, no thousands separators)");
    }
}
