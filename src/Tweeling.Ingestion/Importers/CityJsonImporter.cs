using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// Imports buildings (panden) from CityJSON 2.0 as 3DBAG publishes them: footprint, height, year of
/// construction and function.
/// </summary>
/// <remarks>
/// <para>The file must declare <c>metadata.referenceSystem</c> EPSG:7415 (RD New + NAP heights, as 3DBAG)
/// or EPSG:28992; the x/y of both are RD New, so no transformation is needed. Vertices are decoded with
/// the file's <c>transform</c>.</para>
/// <para>Each top-level <c>Building</c> becomes one pand, together with its <c>BuildingPart</c> children.
/// The feature id is the CityObject id unchanged (3DBAG: <c>NL.IMBAG.Pand.&lt;BAG id&gt;</c>), so it stays
/// traceable to BAG and to the 3DBAG tile; other CityObject types are counted as skipped.</para>
/// <para>Footprint, in order of preference: (1) the LoD 0 surfaces of the building or its parts, 3DBAG's
/// BAG-derived footprint; (2) the surfaces with semantics <c>GroundSurface</c> of the lowest LoD of each
/// part; (3) the surfaces of the lowest LoD that lie at the lowest z (within 1 cm). The chosen surfaces
/// are projected to x/y and unioned.</para>
/// <para>Height (<c>hoogte</c>, metres): <c>b3_h_dak_max − b3_h_maaiveld</c> when 3DBAG gives both, else
/// the z range of the building's vertices. <c>bouwjaar</c> is <c>oorspronkelijkbouwjaar</c>; <c>functie</c>
/// comes from a <c>functie</c> or BAG <c>gebruiksdoel</c> attribute (mapped to the panden vocabulary), else
/// <c>onbekend</c>: 3DBAG itself carries no function. <c>bouwlagen</c> is <c>b3_bouwlagen</c> when present.</para>
/// <para>Validity starts at the request's date, else <c>metadata.referenceDate</c>, else now.</para>
/// </remarks>
public sealed class CityJsonImporter : IImporter
{
    private const double LowestSurfaceTolerance = 0.01;

    /// <inheritdoc />
    public string Kind => "cityjson";

    /// <inheritdoc />
    public string Description => "3D buildings from CityJSON 2.0 (3DBAG tiles, EPSG:7415 or EPSG:28992) into panden.";

    /// <inheritdoc />
    public Task<ImportResult> ImportAsync(ImportRequest request, ImportContext context, CancellationToken ct) =>
        ImportPlan.RunAsync(context, () => Parse(request, context.Crs, context.Time.GetUtcNow()), ct);

    /// <summary>Reads and validates the whole file into a plan; writes nothing.</summary>
    internal ImportPlan Parse(ImportRequest request, CrsTransformer crs, DateTimeOffset now)
    {
        var file = SourceFile.Read(request.FilePath);
        using var document = JsonSource.Parse(file);
        var root = document.RootElement;
        if (JsonSource.Text(root, "type") != "CityJSON")
        {
            throw new ImportException(file.Path, null, "not CityJSON: the root needs \"type\": \"CityJSON\"");
        }

        var version = JsonSource.Text(root, "version");
        if (version is null || !(version == "2.0" || version.StartsWith("2.0.", StringComparison.Ordinal)))
        {
            throw new ImportException(file.Path, null, $"CityJSON version '{version}' is not supported; version 2.0 is expected");
        }

        var metadata = root.TryGetProperty("metadata", out var m) ? m : default;
        var referenceSystem = JsonSource.Text(metadata, "referenceSystem");
        if (JsonSource.SridOfName(referenceSystem) != Crs.RdNewSrid && !IsEpsg7415(referenceSystem))
        {
            throw new ImportException(file.Path, null, $"wrong CRS: metadata.referenceSystem is '{referenceSystem ?? "(missing)"}'; EPSG:7415 (RD New + NAP) or EPSG:28992 is required");
        }

        var vertices = new Vertices(file, root);
        if (!root.TryGetProperty("CityObjects", out var cityObjects) || cityObjects.ValueKind != JsonValueKind.Object)
        {
            throw new ImportException(file.Path, null, "the file has no \"CityObjects\"");
        }

        var objects = cityObjects.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var validFrom = request.ValidFrom
            ?? (DateOnly.TryParseExact(JsonSource.Text(metadata, "referenceDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                : now);
        var datasetId = file.DatasetId(Kind, request.DatasetId);
        var factory = crs.RdNewFactory;
        var features = new List<Feature>();
        var skipped = 0;
        foreach (var (id, cityObject) in objects)
        {
            var type = JsonSource.Text(cityObject, "type");
            if (type == "BuildingPart")
            {
                continue;
            }

            if (type != "Building")
            {
                skipped++;
                continue;
            }

            var location = $"feature '{id}'";
            var parts = new List<JsonElement> { cityObject };
            if (cityObject.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in children.EnumerateArray())
                {
                    var childId = child.GetString() ?? string.Empty;
                    if (!objects.TryGetValue(childId, out var part))
                    {
                        throw new ImportException(file.Path, location, $"child '{childId}' is not in CityObjects");
                    }

                    if (JsonSource.Text(part, "type") == "BuildingPart")
                    {
                        parts.Add(part);
                    }
                }
            }

            try
            {
                features.Add(ToPand(file, location, id, cityObject, parts, vertices, factory, validFrom, datasetId));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                // JsonElement accessors throw these when a member has the wrong JSON type, e.g. a string index.
                throw new ImportException(file.Path, location, $"not valid CityJSON: {e.Message}", e);
            }
        }

        if (features.Count == 0)
        {
            throw new ImportException(file.Path, null, "the file holds no Building CityObjects");
        }

        var contact = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("pointOfContact", out var poc) ? poc : default;
        var publisher = JsonSource.Text(contact, "contactName") is { } name
            ? new Agent(name, JsonSource.Text(contact, "website") ?? "urn:tweeling:agent:" + Uri.EscapeDataString(name))
            : Agents.TuDelft3dbag;
        var dataset = new Dataset(
            datasetId,
            JsonSource.Text(metadata, "title") ?? $"3D buildings from {file.Name}",
            $"{features.Count} buildings (footprint, height, year of construction) from the CityJSON file {file.Name}.",
            publisher,
            publisher,
            Agents.DataTeam,
            [CatalogVocabulary.ThemeRegions, CatalogVocabulary.ThemeEnvironment],
            Classification.Open,
            Agents.PublicTaskBasis,
            ["ruimtelijke analyse", "scenario's en impactmodellen"],
            CatalogVocabulary.LicenseCcBy40,
            now,
            CatalogVocabulary.FrequencyIrregular,
            null,
            file.Lineage(Kind, now) + " Footprints from LoD 0, else ground surfaces of the lowest LoD; heights from 3DBAG attributes where present.",
            IsSynthetic: false);
        return new ImportPlan(file.Path, dataset, features, [], [], [], skipped);
    }

    private static bool IsEpsg7415(string? name) =>
        name is not null
        && name.Contains("EPSG", StringComparison.OrdinalIgnoreCase)
        && name.EndsWith("7415", StringComparison.Ordinal);

    private static Feature ToPand(
        SourceFile file,
        string location,
        string id,
        JsonElement building,
        List<JsonElement> parts,
        Vertices vertices,
        GeometryFactory factory,
        DateTimeOffset validFrom,
        string datasetId)
    {
        // Per part: its geometries, each with its LoD.
        var geometries = parts
            .Select(p => p.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Array
                ? g.EnumerateArray().Where(x => JsonSource.Text(x, "type") != "GeometryInstance").ToList()
                : [])
            .ToList();
        var all = geometries.SelectMany(g => g).ToList();
        if (all.Count == 0)
        {
            throw new ImportException(file.Path, location, "the building and its parts have no geometry");
        }

        var lod0 = all.Where(g => Lod(g) == 0).ToList();
        List<Surface> footprintSurfaces;
        if (lod0.Count > 0)
        {
            footprintSurfaces = lod0.SelectMany(g => Surfaces(file, location, g)).ToList();
        }
        else
        {
            var lowest = geometries.Where(g => g.Count > 0).Select(g => g.MinBy(Lod)).OfType<JsonElement>().ToList();
            var surfaces = lowest.SelectMany(g => Surfaces(file, location, g)).ToList();
            footprintSurfaces = surfaces.Where(s => s.Semantic == "GroundSurface").ToList();
            if (footprintSurfaces.Count == 0)
            {
                var minZ = surfaces.SelectMany(s => s.Rings.SelectMany(r => r)).Min(vertices.Z);
                footprintSurfaces = surfaces
                    .Where(s => s.Rings.All(r => r.All(v => vertices.Z(v) <= minZ + LowestSurfaceTolerance)))
                    .ToList();
            }
        }

        var polygons = footprintSurfaces.Select(s => ToPolygon(file, location, s, vertices, factory)).ToList();
        if (polygons.Count == 0)
        {
            throw new ImportException(file.Path, location, "no footprint: no LoD 0 surface, no GroundSurface and no horizontal surface at the lowest z");
        }

        var footprint = polygons.Count == 1 ? polygons[0] : UnaryUnionOp.Union(polygons);
        if (footprint is not (Polygon or MultiPolygon) || footprint.IsEmpty)
        {
            throw new ImportException(file.Path, location, $"the footprint is a {footprint.GeometryType}, not an area");
        }

        GeometryChecks.EnsureInCrs(file, location, footprint, Crs.RdNewSrid);
        var attributes = building.TryGetProperty("attributes", out var a) ? a : default;
        var height = Number(attributes, "b3_h_dak_max") is { } roof && Number(attributes, "b3_h_maaiveld") is { } ground
            ? roof - ground
            : VertexZRange(file, location, all, vertices);
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["bouwjaar"] = Number(attributes, "oorspronkelijkbouwjaar") is { } year ? (long)year : null,
            ["functie"] = Functie(attributes),
            ["hoogte"] = Math.Round(height, 2),
        };
        if (Number(attributes, "b3_bouwlagen") is { } storeys)
        {
            properties["bouwlagen"] = (long)storeys;
        }

        return new Feature(TwinCollections.Panden, id, footprint, properties, new ValidityInterval(validFrom), datasetId);
    }

    private static double VertexZRange(SourceFile file, string location, List<JsonElement> geometries, Vertices vertices)
    {
        var zs = geometries.SelectMany(g => Surfaces(file, location, g)).SelectMany(s => s.Rings.SelectMany(r => r)).Select(vertices.Z).ToList();
        return zs.Max() - zs.Min();
    }

    /// <summary>Maps BAG gebruiksdoel values (and already-mapped values) to the panden vocabulary.</summary>
    private static string Functie(JsonElement attributes)
    {
        var raw = attributes.ValueKind == JsonValueKind.Object
            ? (attributes.TryGetProperty("functie", out var f) ? f : attributes.TryGetProperty("gebruiksdoel", out var g) ? g : default)
            : default;
        var value = raw.ValueKind switch
        {
            JsonValueKind.String => raw.GetString(),
            JsonValueKind.Array => raw.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null).FirstOrDefault(),
            _ => null,
        };
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" => "onbekend",
            "woonfunctie" or "wonen" => "wonen",
            "winkelfunctie" or "winkel" => "winkel",
            "kantoorfunctie" or "kantoor" => "kantoor",
            "industriefunctie" or "industrie" => "industrie",
            "onderwijsfunctie" or "onderwijs" => "onderwijs",
            "gezondheidszorgfunctie" or "zorg" => "zorg",
            "sportfunctie" or "sport" => "sport",
            "bijeenkomstfunctie" or "bijeenkomst" => "bijeenkomst",
            _ => "overig",
        };
    }

    private static double? Number(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static double Lod(JsonElement geometry) =>
        double.TryParse(JsonSource.Text(geometry, "lod"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lod) ? lod : double.MaxValue;

    private static Polygon ToPolygon(SourceFile file, string location, Surface surface, Vertices vertices, GeometryFactory factory)
    {
        try
        {
            var rings = surface.Rings.Select(r =>
            {
                var coordinates = r.Select(v => new Coordinate(vertices.X(v), vertices.Y(v))).ToList();
                coordinates.Add(coordinates[0].Copy());
                return factory.CreateLinearRing([.. coordinates]);
            }).ToList();
            var polygon = factory.CreatePolygon(rings[0], [.. rings.Skip(1)]);
            return (Polygon)GeometryChecks.ValidOrRepaired(file, location, polygon, out _);
        }
        catch (ArgumentException e)
        {
            throw new ImportException(file.Path, location, $"invalid footprint surface: {e.Message}", e);
        }
    }

    /// <summary>
    /// The surfaces of a CityJSON geometry with their semantic type. Boundaries nest one level deeper per
    /// dimension: MultiSurface [surface], Solid [shell][surface], MultiSolid [solid][shell][surface]; the
    /// semantics <c>values</c> array nests like the boundaries minus the ring levels.
    /// </summary>
    private static IEnumerable<Surface> Surfaces(SourceFile file, string location, JsonElement geometry)
    {
        var depth = JsonSource.Text(geometry, "type") switch
        {
            "MultiSurface" or "CompositeSurface" => 1,
            "Solid" => 2,
            "MultiSolid" or "CompositeSolid" => 3,
            var t => throw new ImportException(file.Path, location, $"unsupported geometry type '{t}'"),
        };
        if (!geometry.TryGetProperty("boundaries", out var boundaries) || boundaries.ValueKind != JsonValueKind.Array)
        {
            throw new ImportException(file.Path, location, "a geometry has no boundaries");
        }

        var semantics = geometry.TryGetProperty("semantics", out var s) ? s : default;
        var types = semantics.ValueKind == JsonValueKind.Object && semantics.TryGetProperty("surfaces", out var st)
            ? st.EnumerateArray().Select(x => JsonSource.Text(x, "type")).ToList()
            : [];
        var values = semantics.ValueKind == JsonValueKind.Object && semantics.TryGetProperty("values", out var sv) ? sv : default;
        return Walk(boundaries, values, depth);

        IEnumerable<Surface> Walk(JsonElement level, JsonElement semanticLevel, int remaining)
        {
            var i = 0;
            foreach (var item in level.EnumerateArray())
            {
                var semantic = semanticLevel.ValueKind == JsonValueKind.Array && i < semanticLevel.GetArrayLength() ? semanticLevel[i] : default;
                if (remaining == 1)
                {
                    var rings = item.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
                    if (rings.Length == 0 || rings.Any(r => r.Length < 3))
                    {
                        throw new ImportException(file.Path, location, "a surface has a ring with fewer than 3 vertices");
                    }

                    var type = semantic.ValueKind == JsonValueKind.Number && semantic.GetInt32() is var index && index >= 0 && index < types.Count ? types[index] : null;
                    yield return new Surface(rings, type);
                }
                else
                {
                    foreach (var surface in Walk(item, semantic, remaining - 1))
                    {
                        yield return surface;
                    }
                }

                i++;
            }
        }
    }

    /// <summary>One surface: rings of vertex indices (outer first), and its semantic type if any.</summary>
    private sealed record Surface(int[][] Rings, string? Semantic);

    /// <summary>The decoded vertex list: real coordinate = integer × scale + translate.</summary>
    private sealed class Vertices
    {
        private readonly SourceFile _file;
        private readonly double[] _coordinates;

        public Vertices(SourceFile file, JsonElement root)
        {
            _file = file;
            if (!root.TryGetProperty("transform", out var transform)
                || !transform.TryGetProperty("scale", out var scale) || scale.GetArrayLength() != 3
                || !transform.TryGetProperty("translate", out var translate) || translate.GetArrayLength() != 3)
            {
                throw new ImportException(file.Path, null, "CityJSON 2.0 needs a \"transform\" with 3 scale and 3 translate values");
            }

            if (!root.TryGetProperty("vertices", out var vertices) || vertices.ValueKind != JsonValueKind.Array)
            {
                throw new ImportException(file.Path, null, "the file has no \"vertices\"");
            }

            _coordinates = new double[vertices.GetArrayLength() * 3];
            var n = 0;
            foreach (var vertex in vertices.EnumerateArray())
            {
                if (vertex.ValueKind != JsonValueKind.Array || vertex.GetArrayLength() != 3)
                {
                    throw new ImportException(file.Path, $"vertex #{(n / 3) + 1}", "a vertex must be an array of 3 integers");
                }

                for (var axis = 0; axis < 3; axis++)
                {
                    if (!vertex[axis].TryGetInt64(out var integer) || scale[axis].ValueKind != JsonValueKind.Number || translate[axis].ValueKind != JsonValueKind.Number)
                    {
                        throw new ImportException(file.Path, $"vertex #{(n / 3) + 1}", "vertices must be integers, and scale and translate numbers");
                    }

                    _coordinates[n++] = (integer * scale[axis].GetDouble()) + translate[axis].GetDouble();
                }
            }
        }

        public double X(int index) => At(index, 0);

        public double Y(int index) => At(index, 1);

        public double Z(int index) => At(index, 2);

        private double At(int index, int axis) =>
            index >= 0 && (index * 3) + axis < _coordinates.Length
                ? _coordinates[(index * 3) + axis]
                : throw new ImportException(_file.Path, null, $"vertex index {index.ToString(CultureInfo.InvariantCulture)} is out of range ({(_coordinates.Length / 3).ToString(CultureInfo.InvariantCulture)} vertices)");
    }
}
