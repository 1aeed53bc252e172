using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;

namespace Tweeling.Domain.Scenarios;

/// <summary>
/// The JSON form of a scenario's interventions — what the API takes and returns and what the store keeps — and
/// its canonical form and content hash. Every intervention is an object with <c>soort</c> (its Dutch kind) and
/// its own members; geometries are GeoJSON <c>Polygon</c> or <c>Point</c>. Read from the API they are CRS84
/// (longitude, latitude) and converted to RD New; stored they are RD New, rounded to the millimetre, so the stored
/// form reads back to the same content and the same hash.
/// </summary>
public static class ScenarioContent
{
    /// <summary>The largest dwelling or job count one intervention may move.</summary>
    public const int MaxCount = 100_000;

    /// <summary>The most interventions one scenario may hold.</summary>
    public const int MaxInterventions = 500;

    // The RD New validity area (EPSG:28992 bounds, metres): a geometry outside it is not in the Netherlands.
    private const double RdMinX = -7_000, RdMaxX = 300_000, RdMinY = 289_000, RdMaxY = 629_000;

    private static readonly string[] s_kinds =
    [
        "woningen-toevoegen", "woningen-slopen", "voorziening-toevoegen", "voorziening-opheffen", "voorziening-wijzigen",
        "wegen-afsluiten", "snelheid-wijzigen", "verkeer-factor", "groen-toevoegen", "bevolking-vergrijzen", "banen-verplaatsen",
    ];

    /// <summary>Every intervention kind (<c>soort</c>), in the order of the documentation.</summary>
    public static IReadOnlyList<string> Kinds => s_kinds;

    /// <summary>The API word of a dwelling type.</summary>
    public static string Word(DwellingType type) => type switch
    {
        DwellingType.Appartement => "appartement",
        DwellingType.Tussenwoning => "tussenwoning",
        DwellingType.Hoekwoning => "hoekwoning",
        DwellingType.TweeOnderEenKap => "twee-onder-een-kap",
        _ => "vrijstaand",
    };

    /// <summary>The API word of a tenure.</summary>
    public static string Word(Tenure tenure) => tenure switch
    {
        Tenure.Koop => "koop",
        Tenure.SocialeHuur => "sociale-huur",
        _ => "particuliere-huur",
    };

    /// <summary>The API word of a green kind.</summary>
    public static string Word(GreenKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The dwelling type for its API word (<c>panden.woningtype</c>), or <c>null</c>.</summary>
    public static DwellingType? ParseDwellingType(string? word) =>
        Enum.GetValues<DwellingType>().Cast<DwellingType?>().FirstOrDefault(t => Word(t!.Value) == word);

    /// <summary>The tenure for its API word (<c>panden.eigendom</c>), or <c>null</c>.</summary>
    public static Tenure? ParseTenure(string? word) =>
        Enum.GetValues<Tenure>().Cast<Tenure?>().FirstOrDefault(t => Word(t!.Value) == word);

    /// <summary>The kind word of <paramref name="intervention"/>.</summary>
    public static string Kind(Intervention intervention) => intervention switch
    {
        AddDwellings => "woningen-toevoegen",
        DemolishDwellings => "woningen-slopen",
        AddFacility => "voorziening-toevoegen",
        RemoveFacility => "voorziening-opheffen",
        ResizeFacility => "voorziening-wijzigen",
        CloseRoads => "wegen-afsluiten",
        SetRoadSpeed => "snelheid-wijzigen",
        TrafficFactor => "verkeer-factor",
        AddGreen => "groen-toevoegen",
        AgePopulation => "bevolking-vergrijzen",
        MoveJobs => "banen-verplaatsen",
        _ => throw new ArgumentException($"Unknown intervention {intervention.GetType().Name}.", nameof(intervention)),
    };

    /// <summary>
    /// The canonical JSON of the content that defines a scenario's results: <c>{"peildatum":…,"ingrepen":[…]}</c>
    /// with members in a fixed order, no whitespace, RD New coordinates rounded to the millimetre and numbers in
    /// their shortest round-trip form. Name, description, id and version are not part of it.
    /// </summary>
    public static string Canonical(DateOnly referenceDate, IReadOnlyList<Intervention> interventions)
    {
        ArgumentNullException.ThrowIfNull(interventions);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("peildatum", referenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WritePropertyName("ingrepen");
            WriteInterventions(json, interventions, null);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The SHA-256 (lowercase hex) of <see cref="Canonical"/>.</summary>
    public static string Hash(DateOnly referenceDate, IReadOnlyList<Intervention> interventions) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(referenceDate, interventions))));

    /// <summary>
    /// Writes <paramref name="interventions"/> as a JSON array; geometries in RD New, or converted to CRS84 by
    /// <paramref name="toCrs84"/> when given (for API answers).
    /// </summary>
    public static void WriteInterventions(Utf8JsonWriter json, IReadOnlyList<Intervention> interventions, CrsTransformer? toCrs84)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(interventions);
        json.WriteStartArray();
        foreach (var intervention in interventions)
        {
            json.WriteStartObject();
            json.WriteString("soort", Kind(intervention));
            switch (intervention)
            {
                case AddDwellings add:
                    WriteGeometry(json, "gebied", add.Area, toCrs84);
                    json.WriteNumber("aantal", add.Count);
                    json.WriteString("woningtype", Word(add.Type));
                    json.WriteString("eigendom", Word(add.Tenure));
                    break;
                case DemolishDwellings demolish:
                    WriteGeometry(json, "gebied", demolish.Area, toCrs84);
                    break;
                case AddFacility facility:
                    json.WriteString("voorzieningtype", facility.Kind);
                    WriteGeometry(json, "locatie", facility.Location, toCrs84);
                    json.WriteNumber("capaciteit", facility.Capacity);
                    break;
                case RemoveFacility remove:
                    json.WriteString("voorziening", remove.FacilityId);
                    break;
                case ResizeFacility resize:
                    json.WriteString("voorziening", resize.FacilityId);
                    json.WriteNumber("capaciteit", resize.Capacity);
                    break;
                case CloseRoads close:
                    WriteIds(json, close.LinkIds);
                    break;
                case SetRoadSpeed speed:
                    WriteIds(json, speed.LinkIds);
                    json.WriteNumber("snelheid", speed.SpeedLimitKmh);
                    break;
                case TrafficFactor factor:
                    WriteGeometry(json, "zone", factor.Zone, toCrs84);
                    json.WriteNumber("factor", factor.Factor);
                    break;
                case AddGreen green:
                    WriteGeometry(json, "gebied", green.Area, toCrs84);
                    json.WriteString("groensoort", Word(green.Kind));
                    break;
                case AgePopulation age:
                    json.WriteNumber("jaren", age.Years);
                    break;
                case MoveJobs jobs:
                    WriteGeometry(json, "van", jobs.From, toCrs84);
                    WriteGeometry(json, "naar", jobs.To, toCrs84);
                    json.WriteNumber("aantal", jobs.Count);
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// Reads a JSON array of interventions whose geometries are in the CRS with <paramref name="sourceSrid"/>
    /// (CRS84 from the API, RD New from the store), converting them to RD New. Every problem is added to
    /// <paramref name="problems"/> as a sentence naming the intervention and member; the result is complete only
    /// when none was added.
    /// </summary>
    public static IReadOnlyList<Intervention> ReadInterventions(JsonElement array, int sourceSrid, CrsTransformer crs, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(crs);
        ArgumentNullException.ThrowIfNull(problems);
        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add("'ingrepen' must be an array of interventions.");
            return [];
        }

        if (array.GetArrayLength() > MaxInterventions)
        {
            problems.Add($"'ingrepen' holds {array.GetArrayLength()} interventions; at most {MaxInterventions} are allowed.");
            return [];
        }

        var result = new List<Intervention>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var reader = new Member(element, $"ingrepen[{index++}]", sourceSrid, crs, problems);
            if (reader.Read() is { } intervention)
            {
                result.Add(intervention);
            }
        }

        return result;
    }

    private static void WriteIds(Utf8JsonWriter json, IReadOnlyList<string> ids)
    {
        json.WriteStartArray("wegvakken");
        foreach (var id in ids)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
    }

    private static void WriteGeometry(Utf8JsonWriter json, string name, Geometry geometry, CrsTransformer? toCrs84)
    {
        var shown = toCrs84 is null ? geometry : toCrs84.Transform(geometry, Crs.Crs84Srid);
        json.WriteStartObject(name);
        json.WriteString("type", shown.GeometryType);
        json.WritePropertyName("coordinates");
        switch (shown)
        {
            case Point point:
                WritePosition(json, point.Coordinate);
                break;
            case Polygon polygon:
                json.WriteStartArray();
                foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
                {
                    json.WriteStartArray();
                    foreach (var c in ring.Coordinates)
                    {
                        WritePosition(json, c);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                break;
        }

        json.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter json, Coordinate c)
    {
        json.WriteStartArray();
        json.WriteNumberValue(c.X);
        json.WriteNumberValue(c.Y);
        json.WriteEndArray();
    }

    /// <summary>Reads one intervention object, collecting its problems.</summary>
    private sealed class Member(JsonElement element, string path, int sourceSrid, CrsTransformer crs, List<string> problems)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal) { "soort" };
        private int _problemsBefore;

        public Intervention? Read()
        {
            _problemsBefore = problems.Count;
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path} must be an object.");
                return null;
            }

            var kind = element.TryGetProperty("soort", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (kind is null || !s_kinds.Contains(kind, StringComparer.Ordinal))
            {
                problems.Add($"{path}: 'soort' must be one of {string.Join(", ", s_kinds)}.");
                return null;
            }

            // Every member is read before the match, so one answer names every problem of the intervention.
            Intervention? intervention = kind switch
            {
                "woningen-toevoegen" => (Polygon("gebied"), Count("aantal"), DwellingTypeOf(), TenureOf()) is ({ } area, { } count, { } type, { } tenure)
                    ? new AddDwellings(area, count, type, tenure) : null,
                "woningen-slopen" => Polygon("gebied") is { } area ? new DemolishDwellings(area) : null,
                "voorziening-toevoegen" => (FacilityKind(), Point("locatie"), Capacity()) is ({ } facility, { } location, { } capacity)
                    ? new AddFacility(facility, location, capacity) : null,
                "voorziening-opheffen" => Id("voorziening") is { } id ? new RemoveFacility(id) : null,
                "voorziening-wijzigen" => (Id("voorziening"), Capacity()) is ({ } id, { } capacity) ? new ResizeFacility(id, capacity) : null,
                "wegen-afsluiten" => LinkIds() is { } links ? new CloseRoads(links) : null,
                "snelheid-wijzigen" => (LinkIds(), Number("snelheid", 5, 130, "km/h")) is ({ } links, { } speed) ? new SetRoadSpeed(links, speed) : null,
                "verkeer-factor" => (Polygon("zone"), Number("factor", 0, 5, "(a multiplier)")) is ({ } zone, { } factor) ? new TrafficFactor(zone, factor) : null,
                "groen-toevoegen" => (Polygon("gebied"), GreenKindOf()) is ({ } area, { } green) ? new AddGreen(area, green) : null,
                "bevolking-vergrijzen" => Whole("jaren", 1, 50) is { } years ? new AgePopulation(years) : null,
                _ => (Polygon("van"), Polygon("naar"), Count("aantal")) is ({ } from, { } to, { } jobs) ? new MoveJobs(from, to, jobs) : null,
            };

            foreach (var property in element.EnumerateObject().Where(p => !_read.Contains(p.Name)))
            {
                problems.Add($"{path} ({kind}): unknown member '{property.Name}'.");
            }

            return problems.Count == _problemsBefore ? intervention : null;
        }

        private JsonElement? Get(string name)
        {
            _read.Add(name);
            if (element.TryGetProperty(name, out var value))
            {
                return value;
            }

            problems.Add($"{path}: '{name}' is required.");
            return null;
        }

        private string? Text(string name, string rule, Func<string, bool> valid)
        {
            if (Get(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && valid(text))
            {
                return text;
            }

            problems.Add($"{path}: '{name}' must be {rule}.");
            return null;
        }

        private string? Id(string name) =>
            Text(name, "a feature id (1–100 characters)", t => t.Length is > 0 and <= 100);

        private string? FacilityKind() =>
            Text("voorzieningtype", "a facility type as in voorzieningen.type: lowercase letters and '-' (e.g. huisarts)", t => t.Length is > 0 and <= 50 && t.All(c => char.IsAsciiLetterLower(c) || c == '-'));

        private DwellingType? DwellingTypeOf() =>
            Text("woningtype", "appartement, tussenwoning, hoekwoning, twee-onder-een-kap or vrijstaand", t => ParseDwellingType(t) is not null) is { } t ? ParseDwellingType(t) : null;

        private Tenure? TenureOf() =>
            Text("eigendom", "koop, sociale-huur or particuliere-huur", t => ParseTenure(t) is not null) is { } t ? ParseTenure(t) : null;

        private GreenKind? GreenKindOf() =>
            Text("groensoort", "gras, struiken, bomen, water or onthard", t => Enum.GetValues<GreenKind>().Any(g => Word(g) == t)) is { } t
                ? Enum.GetValues<GreenKind>().First(g => Word(g) == t)
                : null;

        private double? Number(string name, double min, double max, string unit)
        {
            if (Get(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && number >= min && number <= max)
            {
                return number;
            }

            problems.Add($"{path}: '{name}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} {unit}.");
            return null;
        }

        private double? Capacity()
        {
            var capacity = Number("capaciteit", 0, 1_000_000, "in the facility type's unit");
            if (capacity is 0)
            {
                problems.Add($"{path}: 'capaciteit' must be greater than 0; to close a facility use voorziening-opheffen.");
                return null;
            }

            return capacity;
        }

        private int? Whole(string name, int min, int max)
        {
            if (Get(name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
            {
                return number;
            }

            problems.Add($"{path}: '{name}' must be a whole number from {min} to {max}.");
            return null;
        }

        private int? Count(string name) => Whole(name, 1, MaxCount);

        private IReadOnlyList<string>? LinkIds()
        {
            if (Get("wegvakken") is not { } value)
            {
                return null;
            }

            var ids = value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList()
                : [];
            if (ids.Count is 0 or > 10_000 || ids.Any(id => id is not { Length: > 0 and <= 100 }))
            {
                problems.Add($"{path}: 'wegvakken' must be an array of 1 to 10000 wegvakken ids (strings).");
                return null;
            }

            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            {
                problems.Add($"{path}: 'wegvakken' names a link twice.");
                return null;
            }

            return ids!;
        }

        private Point? Point(string name) => Geometry(name, "Point") as Point;

        private Polygon? Polygon(string name) => Geometry(name, "Polygon") as Polygon;

        private Geometry? Geometry(string name, string type)
        {
            if (Get(name) is not { } value)
            {
                return null;
            }

            var what = $"{path}: '{name}' must be a GeoJSON {type}";
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() != type
                || !value.TryGetProperty("coordinates", out var coordinates))
            {
                problems.Add($"{what} ({{\"type\":\"{type}\",\"coordinates\":…}}).");
                return null;
            }

            var factory = sourceSrid == Crs.RdNewSrid ? crs.RdNewFactory : crs.Crs84Factory;
            Geometry? geometry;
            if (type == "Point")
            {
                geometry = Position(coordinates) is { } c ? factory.CreatePoint(c) : null;
            }
            else
            {
                var rings = coordinates.ValueKind == JsonValueKind.Array ? coordinates.EnumerateArray().Select(Ring).ToList() : [];
                geometry = rings.Count > 0 && rings.All(r => r is not null)
                    ? factory.CreatePolygon(factory.CreateLinearRing(rings[0]), [.. rings.Skip(1).Select(r => factory.CreateLinearRing(r))])
                    : null;
            }

            if (geometry is null)
            {
                problems.Add($"{what}: {(type == "Point" ? "coordinates are one position [x, y]" : "coordinates are closed rings of at least 4 positions [x, y]")} of finite numbers.");
                return null;
            }

            var rd = crs.Transform(geometry, Crs.RdNewSrid);
            rd.Apply(new Millimetres());
            var envelope = rd.EnvelopeInternal;
            if (envelope.MinX < RdMinX || envelope.MaxX > RdMaxX || envelope.MinY < RdMinY || envelope.MaxY > RdMaxY)
            {
                problems.Add($"{path}: '{name}' lies outside the Netherlands (the RD New area){(sourceSrid == Crs.RdNewSrid ? "" : "; coordinates are longitude, latitude in CRS84")}.");
                return null;
            }

            if (rd is Polygon polygon && (!polygon.IsValid || polygon.Area <= 0))
            {
                problems.Add($"{what} that is valid: it must enclose an area and its rings must not cross themselves or each other.");
                return null;
            }

            return rd;
        }

        private static Coordinate? Position(JsonElement position)
        {
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() != 2)
            {
                return null;
            }

            var x = position[0];
            var y = position[1];
            return x.ValueKind == JsonValueKind.Number && y.ValueKind == JsonValueKind.Number && x.TryGetDouble(out var vx) && y.TryGetDouble(out var vy)
                && double.IsFinite(vx) && double.IsFinite(vy)
                ? new Coordinate(vx, vy)
                : null;
        }

        private static Coordinate[]? Ring(JsonElement ring)
        {
            if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() is < 4 or > 10_000)
            {
                return null;
            }

            var positions = ring.EnumerateArray().Select(Position).ToList();
            return positions.All(p => p is not null) && positions[0]!.Equals2D(positions[^1]!) ? [.. positions.Select(p => p!)] : null;
        }
    }

    /// <summary>Rounds RD New coordinates to the millimetre, so the stored form and its hash are stable.</summary>
    private sealed class Millimetres : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), 3));
            seq.SetY(i, Math.Round(seq.GetY(i), 3));
        }
    }
}
