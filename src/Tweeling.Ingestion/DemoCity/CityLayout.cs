using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Triangulate;
using static System.FormattableString;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// The city's ground plan in RD New (EPSG:28992), metres: the gemeente rectangle with the river along its
/// north and east edge, the moat around the old town, 13 wijken and their buurten (nested Voronoi cells,
/// so they partition the gemeente exactly), and a 40 m grid of street lines whose cells hold the buildings.
/// </summary>
/// <remarks>
/// The north-east land corner stays where Dordrecht's old centre meets the Oude Maas and Merwede
/// (about x 105,750, y 425,650) at every scale; larger scales grow the city west and south.
/// </remarks>
internal sealed class CityLayout
{
    /// <summary>Street spacing: the grid lines are 40 m apart, so a block (cell) is 40 × 40 m.</summary>
    public const double CellSize = 40;

    /// <summary>Width of the river along the north and east edge, metres.</summary>
    public const double RiverWidth = 300;

    /// <summary>Radius of the moat (singel) around the old town, measured from the land corner, metres.</summary>
    public const double MoatRadius = 1000;

    /// <summary>Half the moat's width, metres.</summary>
    public const double MoatHalfWidth = 12;

    private const double CornerX = 105_750;
    private const double CornerY = 425_650;
    private const double BaseWidth = 7_000;
    private const double BaseHeight = 5_200;

    // Wijk seeds as fractions of the width (from the east) and height (from the north), with zone and buurt count at scale 1.
    private static readonly (double FromEast, double FromNorth, Zone Zone, int Buurten)[] s_wijkSeeds =
    [
        (0.093, 0.125, Zone.Centrum, 12),
        (0.30, 0.10, Zone.Naoorlogs, 11),
        (0.22, 0.35, Zone.Naoorlogs, 11),
        (0.07, 0.45, Zone.Naoorlogs, 11),
        (0.42, 0.28, Zone.Naoorlogs, 11),
        (0.55, 0.12, Zone.Buitenwijk, 11),
        (0.45, 0.55, Zone.Buitenwijk, 11),
        (0.25, 0.68, Zone.Buitenwijk, 11),
        (0.08, 0.80, Zone.Buitenwijk, 11),
        (0.65, 0.42, Zone.Buitenwijk, 11),
        (0.85, 0.15, Zone.Bedrijventerrein, 6),
        (0.45, 0.88, Zone.Bedrijventerrein, 6),
        (0.85, 0.70, Zone.Landelijk, 6),
    ];

    private static readonly int[] s_suburbEras = [1982, 1990, 1997, 2004, 2011];

    private readonly STRtree<BuurtArea> _buurtIndex = new();
    private readonly STRtree<(IPreparedGeometry Piece, bool IsMoat)> _waterIndex = new();

    public CityLayout(int scale, GeometryFactory factory, Random random)
    {
        Factory = factory;
        var stretch = Math.Sqrt(scale);
        Nx = (int)Math.Round(BaseWidth * stretch / CellSize);
        Ny = (int)Math.Round(BaseHeight * stretch / CellSize);
        XMax = CornerX + RiverWidth;
        YMax = CornerY + RiverWidth;
        XMin = XMax - (Nx * CellSize);
        YMin = YMax - (Ny * CellSize);
        Gemeente = Rectangle(XMin, YMin, XMax, YMax);

        var land = BuildLandPolygon();
        River = Gemeente.Difference(land);
        var arc = new List<Coordinate>();
        for (var degrees = 170; degrees <= 280; degrees += 5)
        {
            var theta = degrees * Math.PI / 180;
            arc.Add(new Coordinate(CornerX + (MoatRadius * Math.Cos(theta)), CornerY + (MoatRadius * Math.Sin(theta))));
        }

        Moat = factory.CreateLineString([.. arc]).Buffer(MoatHalfWidth).Intersection(land);
        Water = River.Union(Moat);
        Land = Gemeente.Difference(Water);
        IndexWater(River, isMoat: false);
        IndexWater(Moat, isMoat: true);
        _waterIndex.Build();

        Wijken = BuildWijken(random);
        Buurten = BuildBuurten(scale, random);
        foreach (var buurt in Buurten)
        {
            _buurtIndex.Insert(buurt.Geometry.EnvelopeInternal, buurt);
        }

        _buurtIndex.Build();
        ClassifyCells();
    }

    public GeometryFactory Factory { get; }

    /// <summary>Number of cells west–east and south–north; grid lines run from 0 to Nx and 0 to Ny.</summary>
    public int Nx { get; }

    public int Ny { get; }

    public double XMin { get; }

    public double YMin { get; }

    public double XMax { get; }

    public double YMax { get; }

    public Polygon Gemeente { get; }

    public Geometry River { get; }

    public Geometry Moat { get; }

    public Geometry Water { get; }

    public Geometry Land { get; }

    public IReadOnlyList<WijkArea> Wijken { get; }

    public IReadOnlyList<BuurtArea> Buurten { get; }

    /// <summary>The buurt each cell's centre lies in.</summary>
    public BuurtArea[] CellBuurt { get; private set; } = [];

    /// <summary>Whether the whole cell lies in <see cref="CellBuurt"/> (then nothing in it needs a containment test).</summary>
    public bool[] CellInsideBuurt { get; private set; } = [];

    /// <summary>0 when the cell touches no water, 1 when partly water, 2 when wholly water.</summary>
    public byte[] CellWater { get; private set; } = [];

    public int CellIndex(int i, int j) => (j * Nx) + i;

    /// <summary>The cell a coordinate inside the gemeente falls in.</summary>
    public int CellAt(Coordinate c) => CellIndex(
        Math.Clamp((int)((c.X - XMin) / CellSize), 0, Nx - 1),
        Math.Clamp((int)((c.Y - YMin) / CellSize), 0, Ny - 1));

    public double LineX(int i) => XMin + (i * CellSize);

    public double LineY(int j) => YMin + (j * CellSize);

    public Polygon Rectangle(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    /// <summary>The buurt that <paramref name="coordinate"/> lies in (interior or boundary), or <c>null</c> outside the gemeente.</summary>
    public BuurtArea? BuurtAt(Coordinate coordinate)
    {
        foreach (var candidate in _buurtIndex.Query(new Envelope(coordinate)))
        {
            if (candidate.Locator.Locate(coordinate) != Location.Exterior)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The buurten whose envelope meets <paramref name="envelope"/>.</summary>
    public IList<BuurtArea> BuurtenNear(Envelope envelope) => _buurtIndex.Query(envelope);

    /// <summary>Whether <paramref name="geometry"/> touches any water.</summary>
    public bool TouchesWater(Geometry geometry)
    {
        foreach (var (piece, _) in _waterIndex.Query(geometry.EnvelopeInternal))
        {
            if (piece.Intersects(geometry))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="geometry"/> touches the river (true) or only the moat (false); null when dry.</summary>
    public bool? WaterKind(Geometry geometry)
    {
        bool? kind = null;
        foreach (var (piece, isMoat) in _waterIndex.Query(geometry.EnvelopeInternal))
        {
            if (piece.Intersects(geometry))
            {
                if (!isMoat)
                {
                    return true;
                }

                kind = false;
            }
        }

        return kind;
    }

    /// <summary>The water pieces that meet <paramref name="envelope"/>, for clipping.</summary>
    public IEnumerable<Geometry> WaterNear(Envelope envelope) =>
        _waterIndex.Query(envelope).Select(w => w.Piece.Geometry);

    private double EastBank(double y) => CornerX + (35 * Math.Sin(y / 430));

    private double NorthBank(double x) => CornerY + (35 * Math.Sin(x / 470));

    private Polygon BuildLandPolygon()
    {
        var cornerX = EastBank(CornerY);
        var cornerY = NorthBank(cornerX);
        var ring = new List<Coordinate> { new(XMin, YMin), new(EastBank(YMin), YMin) };
        for (var y = YMin + 100; y < cornerY - 50; y += 100)
        {
            ring.Add(new Coordinate(EastBank(y), y));
        }

        ring.Add(new Coordinate(cornerX, cornerY));
        for (var x = cornerX - 100; x > XMin + 50; x -= 100)
        {
            ring.Add(new Coordinate(x, NorthBank(x)));
        }

        ring.Add(new Coordinate(XMin, NorthBank(XMin)));
        ring.Add(new Coordinate(XMin, YMin));
        return Factory.CreatePolygon([.. ring]);
    }

    // Cuts water into 400 m tiles so that the index answers "is there water here?" without scanning the whole river.
    private void IndexWater(Geometry water, bool isMoat)
    {
        const double tile = 400;
        var envelope = water.EnvelopeInternal;
        for (var x = envelope.MinX; x < envelope.MaxX; x += tile)
        {
            for (var y = envelope.MinY; y < envelope.MaxY; y += tile)
            {
                var piece = water.Intersection(Rectangle(x, y, x + tile, y + tile));
                if (piece.Area > 0.01)
                {
                    _waterIndex.Insert(piece.EnvelopeInternal, (PreparedGeometryFactory.Prepare(piece), isMoat));
                }
            }
        }
    }

    private List<WijkArea> BuildWijken(Random random)
    {
        var width = XMax - XMin;
        var height = YMax - YMin;
        var sites = s_wijkSeeds
            .Select(s => new Coordinate(
                Math.Round(XMax - ((s.FromEast + ((random.NextDouble() - 0.5) * 0.03)) * width), 1),
                Math.Round(YMax - ((s.FromNorth + ((random.NextDouble() - 0.5) * 0.03)) * height), 1)))
            .ToList();
        var cells = VoronoiCells(sites, Gemeente);

        var themes = Shuffled(random, DutchNames.ResidentialThemes.Length);
        var postWarNames = Shuffled(random, DutchNames.PostWarWijkNames.Length);
        var suburbNames = Shuffled(random, DutchNames.SuburbWijkNames.Length);
        var industryNames = Shuffled(random, DutchNames.IndustryWijkNames.Length);
        var ruralNames = Shuffled(random, DutchNames.RuralWijkNames.Length);
        int residential = 0, postWar = 0, suburb = 0, industry = 0, rural = 0;
        var wijken = new List<WijkArea>();
        for (var w = 0; w < s_wijkSeeds.Length; w++)
        {
            var zone = s_wijkSeeds[w].Zone;
            var (name, theme, era) = zone switch
            {
                Zone.Centrum => ("Binnenstad", DutchNames.CentreTheme, 0),
                Zone.Naoorlogs => (DutchNames.PostWarWijkNames[postWarNames[postWar++]], DutchNames.ResidentialThemes[themes[residential++]], 0),
                Zone.Buitenwijk => (DutchNames.SuburbWijkNames[suburbNames[suburb]], DutchNames.ResidentialThemes[themes[residential++]], s_suburbEras[suburb++]),
                Zone.Bedrijventerrein => (DutchNames.IndustryWijkNames[industryNames[industry++]], DutchNames.IndustryTheme, 0),
                _ => (DutchNames.RuralWijkNames[ruralNames[rural++]], DutchNames.RuralTheme, 0),
            };
            var code = Invariant($"WK9999{w + 1:D2}");
            wijken.Add(new WijkArea(code, name, zone, cells[w], sites[w], theme, era));
        }

        return wijken;
    }

    private List<BuurtArea> BuildBuurten(int scale, Random random)
    {
        var buurten = new List<BuurtArea>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        for (var w = 0; w < Wijken.Count; w++)
        {
            var wijk = Wijken[w];
            var count = Math.Min(99, s_wijkSeeds[w].Buurten * scale);
            var envelope = wijk.Geometry.EnvelopeInternal;
            var prepared = PreparedGeometryFactory.Prepare(wijk.Geometry);
            var sites = new List<Coordinate>();
            while (sites.Count < count)
            {
                var site = new Coordinate(
                    Math.Round(envelope.MinX + (random.NextDouble() * envelope.Width), 1),
                    Math.Round(envelope.MinY + (random.NextDouble() * envelope.Height), 1));
                if (prepared.Contains(Factory.CreatePoint(site)) && sites.TrueForAll(s => s.Distance(site) > 20))
                {
                    sites.Add(site);
                }
            }

            // Number buurten from north-west to south-east, as CBS roughly does.
            sites.Sort((a, b) => a.Y != b.Y ? b.Y.CompareTo(a.Y) : a.X.CompareTo(b.X));
            var cells = VoronoiCells(sites, wijk.Geometry);
            var stems = Shuffled(random, wijk.Theme.Length);
            for (var b = 0; b < cells.Count; b++)
            {
                var stem = wijk.Theme[stems[b % stems.Length]];
                var name = stem + DutchNames.BuurtSuffixes[random.Next(DutchNames.BuurtSuffixes.Length)];
                for (var n = 2; !usedNames.Add(name); n++)
                {
                    name = Invariant($"{stem}{DutchNames.BuurtSuffixes[random.Next(DutchNames.BuurtSuffixes.Length)]} {ToRoman(n)}");
                }

                buurten.Add(new BuurtArea(Invariant($"BU9999{w + 1:D2}{b + 1:D2}"), name, wijk, cells[b]));
            }
        }

        return buurten;
    }

    private static string ToRoman(int n) => n switch
    {
        2 => "II",
        3 => "III",
        4 => "IV",
        5 => "V",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Voronoi cells of the sites, clipped to the (convex) area, in the order of the sites.
    private List<Polygon> VoronoiCells(List<Coordinate> sites, Geometry area)
    {
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(sites);
        var clip = new Envelope(area.EnvelopeInternal);
        clip.ExpandBy(1000);
        builder.ClipEnvelope = clip;
        var diagram = builder.GetDiagram(Factory);
        var result = new List<Polygon>(sites.Count);
        foreach (var site in sites)
        {
            Geometry? cell = null;
            for (var k = 0; k < diagram.NumGeometries; k++)
            {
                var candidate = diagram.GetGeometryN(k);
                if (candidate.UserData is Coordinate c && c.Equals2D(site))
                {
                    cell = candidate;
                    break;
                }
            }

            var clipped = (cell ?? throw new InvalidOperationException("A Voronoi site lost its cell.")).Intersection(area);
            result.Add(clipped as Polygon ?? throw new InvalidOperationException("A clipped Voronoi cell is not a polygon."));
        }

        return result;
    }

    private static int[] Shuffled(Random random, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }

    private void ClassifyCells()
    {
        var count = Nx * Ny;
        CellBuurt = new BuurtArea[count];
        CellInsideBuurt = new bool[count];
        CellWater = new byte[count];
        for (var j = 0; j < Ny; j++)
        {
            for (var i = 0; i < Nx; i++)
            {
                var index = CellIndex(i, j);
                var x0 = LineX(i);
                var y0 = LineY(j);
                var centre = new Coordinate(x0 + (CellSize / 2), y0 + (CellSize / 2));
                var buurt = BuurtAt(centre) ?? throw new InvalidOperationException("A cell centre lies in no buurt.");
                CellBuurt[index] = buurt;
                var envelope = new Envelope(x0, x0 + CellSize, y0, y0 + CellSize);
                var cell = Factory.ToGeometry(envelope);
                CellInsideBuurt[index] = buurt.Prepared.Contains(cell);
                CellWater[index] = 0;
                foreach (var (piece, _) in _waterIndex.Query(envelope))
                {
                    if (piece.Covers(cell))
                    {
                        CellWater[index] = 2;
                        break;
                    }

                    if (piece.Intersects(cell))
                    {
                        CellWater[index] = 1;
                    }
                }
            }
        }
    }
}
