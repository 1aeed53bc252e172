namespace Tweeling.Domain.Features;

/// <summary>The type of a queryable property, as JSON Schema names it.</summary>
public enum QueryableType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>Whole number.</summary>
    Integer,

    /// <summary>Real number.</summary>
    Number,

    /// <summary>True or false.</summary>
    Boolean,
}

/// <summary>A property of a collection that clients may filter on (OGC API – Features Part 3 "queryables").</summary>
/// <param name="Name">The property name as it appears in the features.</param>
/// <param name="Type">Its type.</param>
/// <param name="Description">What it means, with its unit.</param>
public sealed record Queryable(string Name, QueryableType Type, string Description);

/// <summary>The policy domain a collection belongs to; the web UI groups layers by it.</summary>
public enum TwinDomain
{
    /// <summary>Areas and statistics about residents and households.</summary>
    Sociaal,

    /// <summary>Buildings, land cover and the built environment.</summary>
    Fysiek,

    /// <summary>Roads and traffic.</summary>
    Mobiliteit,

    /// <summary>Air, noise, heat and green.</summary>
    Milieu,

    /// <summary>Municipal assets in public space.</summary>
    Beheer,
}

/// <summary>One feature collection of the twin.</summary>
/// <param name="Id">The collection id (Dutch, as in BAG/BGT).</param>
/// <param name="Title">A human title.</param>
/// <param name="Description">What the collection holds.</param>
/// <param name="Domain">The policy domain.</param>
/// <param name="GeometryType">The GeoJSON geometry type of its features (Polygon covers MultiPolygon).</param>
/// <param name="Queryables">The properties that can be filtered on.</param>
public sealed record CollectionDefinition(
    string Id,
    string Title,
    string Description,
    TwinDomain Domain,
    string GeometryType,
    IReadOnlyList<Queryable> Queryables)
{
    /// <summary>The queryable named <paramref name="name"/>, or <c>null</c>.</summary>
    public Queryable? FindQueryable(string name) => Queryables.FirstOrDefault(q => q.Name == name);
}

/// <summary>The feature collections of the twin (DESIGN.md §4) and their queryable properties.</summary>
public static class TwinCollections
{
    /// <summary>Municipalities.</summary>
    public const string Gemeenten = "gemeenten";

    /// <summary>Districts (CBS wijken).</summary>
    public const string Wijken = "wijken";

    /// <summary>Neighbourhoods (CBS buurten).</summary>
    public const string Buurten = "buurten";

    /// <summary>Buildings (BAG panden).</summary>
    public const string Panden = "panden";

    /// <summary>Facilities.</summary>
    public const string Voorzieningen = "voorzieningen";

    /// <summary>Road links.</summary>
    public const string Wegvakken = "wegvakken";

    /// <summary>Land cover: green, paved, water, built.</summary>
    public const string Groenvlakken = "groenvlakken";

    /// <summary>Trees.</summary>
    public const string Bomen = "bomen";

    /// <summary>Municipal assets.</summary>
    public const string Beheerobjecten = "beheerobjecten";

    /// <summary>Sensors: the SensorThings Things that have a Location, with their latest readings.</summary>
    public const string Sensoren = "sensoren";

    private static readonly Queryable s_code = new("code", QueryableType.String, "CBS area code, e.g. BU05050100");
    private static readonly Queryable s_naam = new("naam", QueryableType.String, "Name");
    private static readonly Queryable s_buurtcode = new("buurtcode", QueryableType.String, "CBS code of the buurt the object lies in");

    /// <summary>
    /// All collections, in the order the API lists them. Every one but <see cref="Sensoren"/> holds
    /// features of the feature store; <see cref="Sensoren"/> is a view of the SensorThings store.
    /// </summary>
    public static IReadOnlyList<CollectionDefinition> All { get; } =
    [
        new(Gemeenten, "Gemeenten", "Municipal boundaries (CBS wijk- en buurtkaart).", TwinDomain.Sociaal, "Polygon",
            [s_code, s_naam]),
        new(Wijken, "Wijken", "Districts (CBS wijk- en buurtkaart).", TwinDomain.Sociaal, "Polygon",
            [s_code, s_naam, new("gemeentecode", QueryableType.String, "CBS code of the municipality")]),
        new(Buurten, "Buurten", "Neighbourhoods (CBS wijk- en buurtkaart).", TwinDomain.Sociaal, "Polygon",
            [s_code, s_naam, new("wijkcode", QueryableType.String, "CBS code of the district"),
             new("gemeentecode", QueryableType.String, "CBS code of the municipality")]),
        new(Panden, "Panden", "Buildings with footprint, height, year of construction, function and dwellings.", TwinDomain.Fysiek, "Polygon",
            [new("bouwjaar", QueryableType.Integer, "Year of construction"),
             new("functie", QueryableType.String, "Main use: wonen, winkel, kantoor, industrie, onderwijs, zorg, sport, bijeenkomst, overig"),
             new("hoogte", QueryableType.Number, "Height of the roof above ground, metres"),
             new("bouwlagen", QueryableType.Integer, "Number of storeys"),
             new("woningen", QueryableType.Integer, "Number of dwellings"),
             new("woningtype", QueryableType.String, "Dwelling type: vrijstaand, twee-onder-een-kap, tussenwoning, hoekwoning, appartement"),
             new("eigendom", QueryableType.String, "Tenure of the dwellings: koop, sociale-huur, particuliere-huur"),
             s_buurtcode]),
        new(Voorzieningen, "Voorzieningen", "Facilities with their capacity.", TwinDomain.Sociaal, "Point",
            [new("type", QueryableType.String, "Facility type: huisarts, apotheek, basisschool, kinderopvang, supermarkt, verpleeghuis, speeltuin, park, sport"),
             s_naam,
             new("capaciteit", QueryableType.Number, "Capacity in the unit of capaciteitseenheid"),
             new("capaciteitseenheid", QueryableType.String, "Unit of the capacity, e.g. fte, leerlingplaatsen, kindplaatsen, bedden, m2"),
             s_buurtcode]),
        new(Wegvakken, "Wegvakken", "Road links with class, speed limit and direction.", TwinDomain.Mobiliteit, "LineString",
            [new("wegklasse", QueryableType.String, "Road class: stroomweg, gebiedsontsluitingsweg, erftoegangsweg, fietspad"),
             new("maximumsnelheid", QueryableType.Integer, "Speed limit, km/h"),
             new("richting", QueryableType.String, "Direction of traffic: beide, heen (digitising direction), terug"),
             s_naam,
             new("lengte", QueryableType.Number, "Length, metres")]),
        new(Groenvlakken, "Groenvlakken", "Land cover: green, paved, water and built surfaces.", TwinDomain.Milieu, "Polygon",
            [new("bodemgebruik", QueryableType.String, "Land cover class: groen, verhard, water, bebouwd"),
             new("oppervlakte", QueryableType.Number, "Area, square metres"),
             s_buurtcode]),
        new(Bomen, "Bomen", "Trees.", TwinDomain.Milieu, "Point",
            [new("soort", QueryableType.String, "Species (Latin name)"),
             new("hoogte", QueryableType.Number, "Height, metres"),
             new("kroondiameter", QueryableType.Number, "Crown diameter, metres"),
             new("plantjaar", QueryableType.Integer, "Year planted"),
             s_buurtcode]),
        new(Beheerobjecten, "Beheerobjecten", "Municipal assets: bridges, quay walls, pumping stations, street lights.", TwinDomain.Beheer, "Geometry",
            [new("type", QueryableType.String, "Asset type: brug, kademuur, gemaal, lichtmast"),
             s_naam,
             new("bouwjaar", QueryableType.Integer, "Year built"),
             new("conditie", QueryableType.Integer, "Condition on the NEN 2767 scale, 1 (excellent) to 6 (very bad)"),
             s_buurtcode]),
        new(Sensoren, "Sensoren",
            "Sensors (SensorThings Things with a Location) with the latest value of each of their datastreams. "
            + "The geometry is the Thing's first Location that is a point. 'datetime' selects sensors by the time of their latest observation.",
            TwinDomain.Milieu, "Point",
            [new("naam", QueryableType.String, "Name of the Thing"),
             new("soort", QueryableType.String, "Kind of sensor, from the Thing's properties, e.g. No2, TrafficCount, QuayWallTilt")]),
    ];

    /// <summary>The collection with <paramref name="id"/>, or <c>null</c>.</summary>
    public static CollectionDefinition? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}
