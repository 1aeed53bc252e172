using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>The character of a wijk; it decides building types, ages, tenure, street pattern and population.</summary>
internal enum Zone
{
    /// <summary>The old centre by the river: pre-1940, dense and tall, shops with flats above.</summary>
    Centrum,

    /// <summary>Post-war neighbourhoods (1950–1975): flats and rows, much social housing.</summary>
    Naoorlogs,

    /// <summary>Suburbs (1980–2015): row, semi-detached and detached houses.</summary>
    Buitenwijk,

    /// <summary>Industrial estate: large low halls, no dwellings.</summary>
    Bedrijventerrein,

    /// <summary>Polder with farms.</summary>
    Landelijk,
}

/// <summary>A generated wijk.</summary>
internal sealed class WijkArea(string code, string name, Zone zone, Polygon geometry, Coordinate core, string[] theme, int era)
{
    public string Code { get; } = code;

    public string Name { get; } = name;

    public Zone Zone { get; } = zone;

    public Polygon Geometry { get; } = geometry;

    /// <summary>Where the wijk was first built; cells near it fill first, so green ends up at the edges.</summary>
    public Coordinate Core { get; } = core;

    /// <summary>Name stems for its buurten and streets.</summary>
    public string[] Theme { get; } = theme;

    /// <summary>The central building year of a suburb (years vary around it); unused elsewhere.</summary>
    public int Era { get; } = era;
}

/// <summary>A generated buurt, with the tallies the indicators are computed from.</summary>
internal sealed class BuurtArea
{
    public BuurtArea(string code, string name, WijkArea wijk, Polygon geometry)
    {
        Code = code;
        Name = name;
        Wijk = wijk;
        Geometry = geometry;
        Prepared = PreparedGeometryFactory.Prepare(geometry);
        Locator = new IndexedPointInAreaLocator(geometry);
    }

    public string Code { get; }

    public string Name { get; }

    public WijkArea Wijk { get; }

    public Polygon Geometry { get; }

    public IPreparedGeometry Prepared { get; }

    public IndexedPointInAreaLocator Locator { get; }

    /// <summary>Dwellings by <see cref="DwellingTypes"/> (row) and <see cref="Tenures"/> (column).</summary>
    public int[,] Dwellings { get; } = new int[DwellingTypes.Count, Tenures.Count];

    /// <summary>Expected inhabitants: the sum of the occupancy of its dwellings.</summary>
    public double Occupants { get; set; }
}

/// <summary>Dwelling types, in the order of <see cref="BuurtArea.Dwellings"/>.</summary>
internal static class DwellingTypes
{
    public const int Appartement = 0;
    public const int Tussenwoning = 1;
    public const int Hoekwoning = 2;
    public const int TweeOnderEenKap = 3;
    public const int Vrijstaand = 4;
    public const int Count = 5;

    /// <summary>The property values, as in <c>panden.woningtype</c>.</summary>
    public static readonly string[] Names = ["appartement", "tussenwoning", "hoekwoning", "twee-onder-een-kap", "vrijstaand"];

    /// <summary>
    /// Average household size (persons per dwelling) by type, for an owner-occupied dwelling. Chosen so that
    /// Dordrecht's mix (about 40% flats) gives its 2.1 persons per dwelling; cf. CBS StatLine 82900NED.
    /// </summary>
    public static readonly double[] Occupancy = [1.65, 2.45, 2.45, 2.65, 2.75];

    /// <summary>Shares of single-person households, couples without and households with children, by type.</summary>
    public static readonly double[][] HouseholdMix =
    [
        [0.58, 0.27, 0.15],
        [0.22, 0.33, 0.45],
        [0.22, 0.35, 0.43],
        [0.15, 0.42, 0.43],
        [0.14, 0.46, 0.40],
    ];
}

/// <summary>Tenures, in the order of <see cref="BuurtArea.Dwellings"/>.</summary>
internal static class Tenures
{
    public const int Koop = 0;
    public const int SocialeHuur = 1;
    public const int ParticuliereHuur = 2;
    public const int Count = 3;

    /// <summary>The property values, as in <c>panden.eigendom</c>.</summary>
    public static readonly string[] Names = ["koop", "sociale-huur", "particuliere-huur"];

    /// <summary>Occupancy factor by tenure: rented dwellings hold smaller households than owned ones of the same type.</summary>
    public static readonly double[] OccupancyFactor = [1.0, 0.95, 0.85];

    /// <summary>Share of households with a low income (CBS: below the low-income threshold) by tenure.</summary>
    public static readonly double[] LowIncomeShare = [0.03, 0.22, 0.11];

    /// <summary>
    /// Households by national income class (lowest 40%, middle 40%, highest 20% of household income, the
    /// classes of CBS Kerncijfers wijken en buurten) by tenure: owners lean high, social tenants low.
    /// Each row sums to 1; the national mix (40/40/20) is reached with about half the stock owned.
    /// </summary>
    public static readonly double[][] IncomeClassShare =
    [
        [0.22, 0.46, 0.32],
        [0.72, 0.25, 0.03],
        [0.45, 0.40, 0.15],
    ];
}
