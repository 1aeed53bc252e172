using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// Imports the CBS wijk- en buurtkaart (gemeenten, wijken, buurten) from GeoJSON or GeoPackage.
/// </summary>
/// <remarks>
/// <para>The area code decides the collection (GM → gemeenten, WK → wijken, BU → buurten) and is the feature
/// id, because CBS codes are what indicators, the Kerncijfers and the municipality's own tables join on.
/// The code is read from <c>statcode</c> (cartomap/CBS GeoJSON) or else <c>buurtcode</c>, <c>wijkcode</c>,
/// <c>gemeentecode</c> (the PDOK/CBS GeoPackage layers); the name from <c>statnaam</c> or the matching
/// <c>…naam</c>. A <c>rubriek</c> that contradicts the code is an error rather than a guess.</para>
/// <para>Validity starts at the request's date, else 1 January of the year in <c>jrstatcode</c> (CBS
/// publishes one map per year, valid from that date), else now.</para>
/// </remarks>
public sealed class CbsGebiedenImporter : IImporter
{
    /// <inheritdoc />
    public string Kind => "cbs-gebieden";

    /// <inheritdoc />
    public string Description => "CBS wijk- en buurtkaart (GeoJSON in CRS84 or EPSG:28992, or GeoPackage): gemeenten, wijken, buurten.";

    /// <inheritdoc />
    public Task<ImportResult> ImportAsync(ImportRequest request, ImportContext context, CancellationToken ct) =>
        ImportPlan.RunAsync(context, () => Parse(request, context.Crs, context.Time.GetUtcNow()), ct);

    /// <summary>Reads and validates the whole file into a plan; writes nothing.</summary>
    internal ImportPlan Parse(ImportRequest request, CrsTransformer crs, DateTimeOffset now)
    {
        var file = SourceFile.Read(request.FilePath);
        var records = IsGeoPackage(file) ? ReadGeoPackage(file, crs) : ReadGeoJson(file, crs);

        var features = new List<Feature>(records.Count);
        var seen = new Dictionary<(string, string), string>();
        var datasetId = file.DatasetId(Kind, request.DatasetId);
        var repaired = new List<string>();
        foreach (var record in records)
        {
            var feature = ToFeature(file, record, request.ValidFrom, now, crs, datasetId, repaired);
            if (!seen.TryAdd((feature.Collection, feature.Id), record.Location))
            {
                throw new ImportException(file.Path, record.Location, $"duplicate id '{feature.Id}': {seen[(feature.Collection, feature.Id)]} has the same code");
            }

            features.Add(feature);
        }

        var collections = string.Join(", ", features.Select(f => f.Collection).Distinct());
        var years = features.Select(f => f.Validity.From.Year).Distinct().Order().ToList();
        var gemeenten = features.Select(f => f.Properties.GetValueOrDefault("gemeentecode") as string ?? (f.Collection == TwinCollections.Gemeenten ? f.Id : null))
            .OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var dataset = new Dataset(
            datasetId,
            $"CBS wijk- en buurtkaart {string.Join("/", years)}: {collections}",
            $"Boundaries of CBS areas ({collections}) from the CBS wijk- en buurtkaart, imported from {file.Name}. Geometry in RD New; generalised maps are fit for maps and look-ups, not for exact areas.",
            Agents.CbsAndKadaster,
            Agents.Cbs,
            Agents.DataTeam,
            [CatalogVocabulary.ThemeRegions, CatalogVocabulary.ThemeSociety],
            Classification.Open,
            Agents.PublicTaskBasis,
            ["kaart en gebiedsindeling", "beleidsanalyse per wijk en buurt"],
            CatalogVocabulary.LicenseCcBy40,
            now,
            CatalogVocabulary.FrequencyAnnual,
            gemeenten.Count > 0 ? string.Join(" ", gemeenten) : null,
            file.Lineage(Kind, now) + " Source: CBS and Kadaster, Wijk- en buurtkaart, via PDOK (Bron: CBS, Kadaster)."
                + (repaired.Count > 0 ? $" Zero-area spikes from coordinate rounding were removed from: {string.Join(", ", repaired)}." : ""),
            IsSynthetic: false);
        return new ImportPlan(file.Path, dataset, features, [], [], [], Skipped: 0);
    }

    private static bool IsGeoPackage(SourceFile file) =>
        file.Bytes.AsSpan().StartsWith("SQLite format 3\0"u8)
        || file.Name.EndsWith(".gpkg", StringComparison.OrdinalIgnoreCase);

    private static Feature ToFeature(SourceFile file, AreaRecord record, DateTimeOffset? validFrom, DateTimeOffset now, CrsTransformer crs, string datasetId, List<string> repaired)
    {
        var p = record.Properties;
        var code = (Text(p, "statcode") ?? Text(p, "buurtcode") ?? Text(p, "wijkcode") ?? Text(p, "gemeentecode"))?.Trim()
            ?? throw new ImportException(file.Path, record.Location, "no area code: the feature needs 'statcode' (or buurtcode/wijkcode/gemeentecode)");
        var location = $"feature '{code}'";
        var collection = ImportPlan.CollectionOfAreaCode(code)
            ?? throw new ImportException(file.Path, location, $"'{code}' is not a CBS area code (GM…, WK… or BU…)");
        if (Text(p, "rubriek") is { } rubriek && RubriekCollection(rubriek) is { } byRubriek && byRubriek != collection)
        {
            throw new ImportException(file.Path, location, $"rubriek '{rubriek}' contradicts the code '{code}'");
        }

        var nameKey = collection switch
        {
            TwinCollections.Buurten => "buurtnaam",
            TwinCollections.Wijken => "wijknaam",
            _ => "gemeentenaam",
        };
        var naam = Text(p, "statnaam") ?? Text(p, nameKey) ?? code;

        if (record.Geometry is not (Polygon or MultiPolygon))
        {
            throw new ImportException(file.Path, location, $"a CBS area must be a Polygon or MultiPolygon, not a {record.Geometry.GeometryType}");
        }

        GeometryChecks.EnsureInCrs(file, location, record.Geometry, record.Geometry.SRID);
        var geometry = GeometryChecks.ValidOrRepaired(file, location, record.Geometry, out var wasRepaired);
        if (wasRepaired)
        {
            repaired.Add(code);
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code, ["naam"] = naam };
        if (collection == TwinCollections.Buurten)
        {
            properties["wijkcode"] = Text(p, "wk_code") ?? (code.Length >= 8 ? "WK" + code[2..8] : null);
        }

        if (collection != TwinCollections.Gemeenten)
        {
            properties["gemeentecode"] = Text(p, "gm_code") ?? (code.Length >= 6 ? "GM" + code[2..6] : null);
        }

        var from = validFrom ?? YearOf(Text(p, "jrstatcode")) ?? now;
        return new Feature(collection, code, crs.Transform(geometry, Crs.RdNewSrid), properties, new ValidityInterval(from), datasetId);
    }

    private static string? RubriekCollection(string rubriek) => rubriek.Trim().ToLowerInvariant() switch
    {
        "gemeente" => TwinCollections.Gemeenten,
        "wijk" => TwinCollections.Wijken,
        "buurt" => TwinCollections.Buurten,
        _ => null,
    };

    private static DateTimeOffset? YearOf(string? jrstatcode) =>
        jrstatcode is { Length: >= 4 } && int.TryParse(jrstatcode.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is > 1800 and < 2200
            ? new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero)
            : null;

    private static string? Text(IReadOnlyDictionary<string, object?> properties, string key) =>
        properties.GetValueOrDefault(key) switch
        {
            null => null,
            string s when s.Length == 0 => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var o => o.ToString(),
        };

    private static List<AreaRecord> ReadGeoJson(SourceFile file, CrsTransformer crs)
    {
        using var document = JsonSource.Parse(file);
        var root = document.RootElement;
        var features = JsonSource.Features(file, root);
        var srid = JsonSource.GeoJsonSrid(file, root);
        var factory = srid == Crs.RdNewSrid ? crs.RdNewFactory : crs.Crs84Factory;
        var records = new List<AreaRecord>(features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            var element = features[i];
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("properties", out var props)
                && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in props.EnumerateObject())
                {
                    properties[property.Name] = JsonSource.ScalarValue(property.Value);
                }
            }

            var location = Text(properties, "statcode") is { } code ? $"feature '{code}'" : $"feature #{i + 1}";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new ImportException(file.Path, location, "a feature must be a JSON object");
            }

            records.Add(new AreaRecord(location, properties, JsonSource.ReadGeometry(file, location, element, factory)));
        }

        return records;
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The only variable parts are table and column names from gpkg_geometry_columns, quoted as SQL identifiers.")]
    private static List<AreaRecord> ReadGeoPackage(SourceFile file, CrsTransformer crs)
    {
        var records = new List<AreaRecord>();
        var builder = new SqliteConnectionStringBuilder { DataSource = file.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            var layers = new List<(string Table, string Column, int Srid)>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT g.table_name, g.column_name, s.organization, s.organization_coordsys_id, g.srs_id
                    FROM gpkg_contents c
                    JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                    LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                    WHERE c.data_type = 'features'
                    ORDER BY c.table_name
                    """;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var table = reader.GetString(0);
                    var organization = reader.IsDBNull(2) ? "EPSG" : reader.GetString(2);
                    var code = reader.IsDBNull(3) ? reader.GetInt32(4) : reader.GetInt32(3);
                    var srid = string.Equals(organization, "EPSG", StringComparison.OrdinalIgnoreCase) && code is Crs.Crs84Srid or Crs.RdNewSrid
                        ? code
                        : throw new ImportException(file.Path, $"layer '{table}'", $"wrong CRS: {organization}:{code.ToString(CultureInfo.InvariantCulture)} is not supported; use EPSG:4326 or EPSG:28992");
                    layers.Add((table, reader.GetString(1), srid));
                }
            }

            if (layers.Count == 0)
            {
                throw new ImportException(file.Path, null, "the GeoPackage has no feature tables");
            }

            var geometryReader = new GeoPackageGeoReader { HandleSRID = true };
            foreach (var (table, column, srid) in layers)
            {
                var factory = srid == Crs.RdNewSrid ? crs.RdNewFactory : crs.Crs84Factory;
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM {Quote(table)}";
                using var reader = command.ExecuteReader();
                var row = 0;
                while (reader.Read())
                {
                    row++;
                    var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                    byte[]? blob = null;
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        if (string.Equals(reader.GetName(i), column, StringComparison.OrdinalIgnoreCase))
                        {
                            blob = reader.IsDBNull(i) ? null : (byte[])reader.GetValue(i);
                        }
                        else
                        {
                            properties[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        }
                    }

                    var code = Text(properties, "statcode") ?? Text(properties, "buurtcode") ?? Text(properties, "wijkcode") ?? Text(properties, "gemeentecode");
                    var location = code is not null ? $"feature '{code.Trim()}'" : $"layer '{table}', feature #{row}";
                    if (blob is null)
                    {
                        throw new ImportException(file.Path, location, "the feature has no geometry");
                    }

                    Geometry geometry;
                    try
                    {
                        geometry = factory.CreateGeometry(geometryReader.Read(blob));
                    }
                    catch (Exception e) when (e is ParseException or ArgumentException or IOException or InvalidOperationException)
                    {
                        throw new ImportException(file.Path, location, $"invalid geometry: {e.Message}", e);
                    }

                    records.Add(new AreaRecord(location, properties, geometry));
                }
            }
        }
        catch (SqliteException e)
        {
            throw new ImportException(file.Path, null, $"not a readable GeoPackage: {e.Message}", e);
        }

        return records.Count == 0 ? throw new ImportException(file.Path, null, "the file holds no features") : records;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One area as read from the file, before mapping.</summary>
    private sealed record AreaRecord(string Location, IReadOnlyDictionary<string, object?> Properties, Geometry Geometry);
}
