using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// Imports facilities (voorzieningen) and road links (wegvakken) from an OpenStreetMap extract in GeoJSON,
/// as osmtogeojson, Overpass turbo and ogr2ogr write it.
/// </summary>
/// <remarks>
/// <para>The OSM id comes from the feature's <c>id</c> (<c>"way/456"</c>) or the property <c>@id</c>, or
/// <c>type</c> + <c>id</c> (older osmtogeojson); tags are the properties, or the <c>tags</c> object of
/// older osmtogeojson output. The feature id is <c>&lt;type&gt;-&lt;number&gt;</c> (e.g. <c>way-456</c>): the
/// slash of the OSM notation would break the <c>/items/{featureId}</c> URL.</para>
/// <para>Facilities: amenity doctors/clinic → huisarts, pharmacy → apotheek, school with
/// <c>isced:level</c> 1 or <c>school=primary</c> → basisschool, kindergarten/childcare → kinderopvang,
/// shop=supermarket → supermarkt, amenity=nursing_home or social_facility=nursing_home → verpleeghuis,
/// leisure=playground → speeltuin, leisure=park → park, leisure=sports_centre/pitch → sport. A facility
/// is a point: an area's interior point (a point inside it, unlike a centroid) stands for it.</para>
/// <para>Roads (<c>highway=*</c> on a line): motorway/trunk (+ links) → stroomweg, primary/secondary/tertiary
/// (+ links) → gebiedsontsluitingsweg, residential/living_street/unclassified/service/track →
/// erftoegangsweg, cycleway → fietspad. <c>maxspeed</c> (km/h, mph, <c>NL:urban</c>, <c>NL:rural</c>,
/// <c>NL:zone30</c>, <c>walk</c>) wins over the class default: motorway 100, trunk 80, primary to tertiary
/// 50, residential/service 30, living_street 15, unclassified/track 60, cycleway none. Dutch urban
/// defaults are chosen because a municipal twin is mostly inside the built-up area.
/// <c>oneway=yes|true|1</c>, motorways and roundabouts → richting heen; <c>oneway=-1</c> → terug; else
/// beide. <c>lengte</c> is measured in RD New, metres.</para>
/// <para>Everything else (footways, benches, buildings, …) is counted as skipped, not an error.
/// Validity starts at the request's date, else the extract's <c>timestamp</c> (Overpass), else now.</para>
/// </remarks>
public sealed class OsmGeoJsonImporter : IImporter
{
    /// <inheritdoc />
    public string Kind => "osm-geojson";

    /// <inheritdoc />
    public string Description => "OpenStreetMap extract as GeoJSON (osmtogeojson/Overpass/ogr2ogr): facilities into voorzieningen, roads into wegvakken.";

    /// <inheritdoc />
    public Task<ImportResult> ImportAsync(ImportRequest request, ImportContext context, CancellationToken ct) =>
        ImportPlan.RunAsync(context, () => Parse(request, context.Crs, context.Time.GetUtcNow()), ct);

    /// <summary>Reads and validates the whole file into a plan; writes nothing.</summary>
    internal ImportPlan Parse(ImportRequest request, CrsTransformer crs, DateTimeOffset now)
    {
        var file = SourceFile.Read(request.FilePath);
        using var document = JsonSource.Parse(file);
        var root = document.RootElement;
        var elements = JsonSource.Features(file, root);
        var srid = JsonSource.GeoJsonSrid(file, root);
        var factory = srid == Crs.RdNewSrid ? crs.RdNewFactory : crs.Crs84Factory;
        var validFrom = request.ValidFrom
            ?? (DateTimeOffset.TryParse(JsonSource.Text(root, "timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp) ? stamp : now);
        var datasetId = file.DatasetId(Kind, request.DatasetId);
        var features = new List<Feature>();
        var seen = new Dictionary<(string, string), string>();
        var skipped = 0;
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            var tags = Tags(element);
            var osmId = OsmId(element, tags);
            var location = osmId is null ? $"feature #{i + 1}" : $"feature '{osmId}'";
            var facility = FacilityType(tags);
            var road = facility is null ? RoadClass(tags) : null;
            if (facility is null && road is null)
            {
                skipped++;
                continue;
            }

            if (osmId is null)
            {
                throw new ImportException(file.Path, location, "no OSM id: expected \"id\": \"node/123\" or a property \"@id\"");
            }

            var geometry = JsonSource.ReadGeometry(file, location, element, factory);
            if (road is not null && geometry is not LineString)
            {
                skipped++;
                continue;
            }

            GeometryChecks.EnsureInCrs(file, location, geometry, srid);
            geometry = GeometryChecks.ValidOrRepaired(file, location, geometry, out _);
            var rd = crs.Transform(geometry, Crs.RdNewSrid);
            var id = osmId.Replace('/', '-');
            var name = tags.GetValueOrDefault("name");
            Feature feature = facility is not null
                ? new Feature(
                    TwinCollections.Voorzieningen,
                    id,
                    rd is Point ? rd : rd.InteriorPoint,
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = facility, ["naam"] = name },
                    new ValidityInterval(validFrom),
                    datasetId)
                : new Feature(
                    TwinCollections.Wegvakken,
                    id,
                    rd,
                    new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["wegklasse"] = road!.Value.Klasse,
                        ["maximumsnelheid"] = MaxSpeed(tags.GetValueOrDefault("maxspeed")) ?? road.Value.DefaultSpeed,
                        ["richting"] = Direction(tags),
                        ["naam"] = name,
                        ["lengte"] = Math.Round(rd.Length, 1),
                    },
                    new ValidityInterval(validFrom),
                    datasetId);
            if (!seen.TryAdd((feature.Collection, feature.Id), location))
            {
                throw new ImportException(file.Path, location, $"duplicate id '{osmId}' (also at {seen[(feature.Collection, feature.Id)]})");
            }

            features.Add(feature);
        }

        if (features.Count == 0)
        {
            throw new ImportException(file.Path, null, $"none of the {elements.Count} features is a facility or road the twin knows");
        }

        var dataset = new Dataset(
            datasetId,
            $"OpenStreetMap: voorzieningen en wegen ({file.Name})",
            $"{features.Count(f => f.Collection == TwinCollections.Voorzieningen)} facilities and {features.Count(f => f.Collection == TwinCollections.Wegvakken)} road links from an OpenStreetMap extract; {skipped} other features skipped.",
            Agents.OpenStreetMapFoundation,
            Agents.OpenStreetMapContributors,
            Agents.DataTeam,
            [CatalogVocabulary.ThemeTransport, CatalogVocabulary.ThemeSociety],
            Classification.Open,
            Agents.PublicTaskBasis,
            ["bereikbaarheid van voorzieningen", "verkeersmodellen"],
            Agents.LicenseOdbl,
            now,
            CatalogVocabulary.FrequencyIrregular,
            null,
            file.Lineage(Kind, now) + " © OpenStreetMap contributors, ODbL 1.0.",
            IsSynthetic: false);
        return new ImportPlan(file.Path, dataset, features, [], [], [], skipped);
    }

    private static Dictionary<string, string> Tags(JsonElement element)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return tags;
        }

        var isNested = properties.TryGetProperty("tags", out var nested) && nested.ValueKind == JsonValueKind.Object;
        var source = isNested ? nested : properties;
        foreach (var property in source.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                tags[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        // Older osmtogeojson keeps type and id beside the tags.
        if (isNested && JsonSource.Text(properties, "type") is { } type && JsonSource.Text(properties, "id") is { } id)
        {
            tags["@id"] = $"{type}/{id}";
        }

        return tags;
    }

    private static string? OsmId(JsonElement element, Dictionary<string, string> tags)
    {
        var id = JsonSource.Text(element, "id") is { } featureId && featureId.Contains('/', StringComparison.Ordinal)
            ? featureId
            : tags.GetValueOrDefault("@id");
        return id is not null && id.Split('/') is [var type and ("node" or "way" or "relation"), var number] && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? $"{type}/{number}"
            : null;
    }

    private static string? FacilityType(Dictionary<string, string> tags)
    {
        var amenity = tags.GetValueOrDefault("amenity");
        var leisure = tags.GetValueOrDefault("leisure");
        return amenity switch
        {
            "doctors" or "clinic" => "huisarts",
            "pharmacy" => "apotheek",
            "school" when tags.GetValueOrDefault("isced:level") is { } level && level.Split(';').Contains("1")
                || tags.GetValueOrDefault("school") == "primary" => "basisschool",
            "kindergarten" or "childcare" => "kinderopvang",
            "nursing_home" => "verpleeghuis",
            "social_facility" when tags.GetValueOrDefault("social_facility") == "nursing_home" => "verpleeghuis",
            _ when tags.GetValueOrDefault("shop") == "supermarket" => "supermarkt",
            _ => leisure switch
            {
                "playground" => "speeltuin",
                "park" => "park",
                "sports_centre" or "pitch" => "sport",
                _ => null,
            },
        };
    }

    private static (string Klasse, long? DefaultSpeed)? RoadClass(Dictionary<string, string> tags) => tags.GetValueOrDefault("highway") switch
    {
        "motorway" or "motorway_link" => ("stroomweg", 100),
        "trunk" or "trunk_link" => ("stroomweg", 80),
        "primary" or "primary_link" or "secondary" or "secondary_link" or "tertiary" or "tertiary_link" => ("gebiedsontsluitingsweg", 50),
        "residential" or "service" => ("erftoegangsweg", 30),
        "living_street" => ("erftoegangsweg", 15),
        "unclassified" or "track" => ("erftoegangsweg", 60),
        "cycleway" => ("fietspad", null),
        _ => null,
    };

    /// <summary>OSM <c>maxspeed</c> in km/h; <c>null</c> when absent or not understood (the class default applies).</summary>
    private static long? MaxSpeed(string? maxspeed)
    {
        var value = maxspeed?.Trim();
        switch (value)
        {
            case null or "":
                return null;
            case "NL:urban":
                return 50;
            case "NL:rural":
                return 80;
            case "NL:zone30":
                return 30;
            case "NL:motorway":
                return 100;
            case "walk" or "NL:walk":
                return 15;
        }

        var mph = value.EndsWith("mph", StringComparison.OrdinalIgnoreCase);
        var number = mph ? value[..^3].Trim() : value;
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed > 0
            ? (long)Math.Round(mph ? speed * 1.609344 : speed)
            : null;
    }

    private static string Direction(Dictionary<string, string> tags) => tags.GetValueOrDefault("oneway") switch
    {
        "yes" or "true" or "1" => "heen",
        "-1" or "reverse" => "terug",
        "no" or "false" or "0" => "beide",
        _ when tags.GetValueOrDefault("highway") is "motorway" or "motorway_link"
            || tags.GetValueOrDefault("junction") is "roundabout" or "circular" => "heen",
        _ => "beide",
    };
}
