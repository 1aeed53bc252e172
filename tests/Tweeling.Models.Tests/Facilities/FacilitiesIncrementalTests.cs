using System.Globalization;
using NetTopologySuite.Geometries;
using Tweeling.Models.City;
using Tweeling.Models.Facilities;
using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Facilities;

/// <summary>
/// The facilities model brought up to date after an edit (<see cref="FacilitiesModel"/>'s <see cref="IIncrementalModel"/>,
/// docs/models/voorzieningen.md "Incremental runs"): every row and load equal, to the bit, to a fresh model's full run on
/// the same inputs, and the rows an edit cannot reach the earlier run's records themselves.
/// </summary>
public sealed class FacilitiesIncrementalTests
{
    private const int Seed = 0;

    private static readonly GeometryFactory s_rd = new(new PrecisionModel(), 28992);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A chain of edits on one model instance, each starting from the previous one's outputs as the scenario runner starts
    /// an edit from the previous edit: dwellings added in one buurt (more inhabitants, the residents' centre moved),
    /// dwellings removed in another, the population aged, a GP practice added, a school resized, a pharmacy closed, the
    /// GPs listed in another order, a GP moved; each version also from the first run's outputs (the baseline every
    /// scenario's first edit starts from).
    /// </summary>
    [Fact]
    public void A_chain_of_edits_brought_up_to_date_equals_full_runs_bit_for_bit()
    {
        var random = new Random(17);
        var (buurten, facilities) = FacilitiesModelTests.RandomCity(random, 60, 12);
        var model = new FacilitiesModel();
        var baseline = ModelRun.Execute(model, Inputs(buurten, facilities), Seed, Ct);
        var gps = facilities.Where(f => f.Kind == "huisarts").ToList();

        var steps = new List<(string Name, IReadOnlyList<BuurtPopulation> Buurten, IReadOnlyList<Facility> Facilities)>();
        var now = (Buurten: buurten, Facilities: facilities);
        void Step(string name, IReadOnlyList<BuurtPopulation>? b = null, IReadOnlyList<Facility>? f = null)
        {
            // The population model writes every buurt's record anew in every run: unchanged buurten come as equal copies.
            now = (b ?? Copied(now.Buurten), f ?? now.Facilities);
            steps.Add((name, now.Buurten, now.Facilities));
        }

        Step("dwellings added in one buurt", Changed(now.Buurten, 7, b => Grown(b, 1.4, dx: 80, dy: -60)));
        Step("dwellings removed in another", Changed(now.Buurten, 31, b => Grown(b, 0.5, dx: -150, dy: 40)));
        Step("aged by a year", [.. now.Buurten.Select(Aged)]);
        Step("a GP added", f: [.. now.Facilities, new Facility("huisarts-new", "huisarts", Point(3_000, 3_000), 2.5, "fte")]);
        var school = now.Facilities.First(f => f.Kind == "basisschool");
        Step("a school resized", f: [.. now.Facilities.Select(f => f == school ? f with { Capacity = f.Capacity * 3 } : f)]);
        var pharmacy = now.Facilities.First(f => f.Kind == "apotheek");
        Step("a pharmacy closed", f: [.. now.Facilities.Where(f => f != pharmacy)]);
        Step("the GPs listed in another order", f: [.. now.Facilities.Where(f => f.Kind != "huisarts"), .. gps.AsEnumerable().Reverse()]);
        Step("dwellings added and a GP moved", Changed(now.Buurten, 45, b => Grown(b, 1.1, dx: 20, dy: 20)),
            [.. now.Facilities.Select(f => f == gps[0] ? f with { Location = Point(f.Location.X + 900, f.Location.Y) } : f)]);

        AssertChainEqualsFullRuns(model, (buurten, facilities, baseline), steps);
    }

    /// <summary>
    /// Buurt A gains adults; GP practice P1 reaches only A, P2 reaches A and B, P3 only C, far away (2,000 m catchment,
    /// detour factor 1.3). P2's R_j changes, so B's row must change although B's inhabitants did not; C's row and P3's
    /// load, and every row of a kind whose demand did not change (a school counts only children), stay the earlier records.
    /// </summary>
    [Fact]
    public void Only_the_rows_an_edit_reaches_are_computed_again_including_those_reached_through_a_shared_facility()
    {
        IReadOnlyList<BuurtPopulation> buurten = [Buurt("A", 0, 0, 4_190, 300), Buurt("B", 3_000, 0, 2_095, 200), Buurt("C", 20_000, 0, 3_000, 250)];
        IReadOnlyList<Facility> facilities = [Gp("P1", 500, 0, 1.5), Gp("P2", 1_500, 0, 1.0), Gp("P3", 20_000, 500, 1.0), School("S1", 500, 0, 400)];
        var model = new FacilitiesModel();
        var before = ModelRun.Execute(model, Inputs(buurten, facilities), Seed, Ct);
        IReadOnlyList<BuurtPopulation> grown = [buurten[0] with { Aged18To64 = 6_000 }, .. Copied(buurten.Skip(1).ToList())];

        var after = Update(model, (buurten, facilities, before), grown, facilities);

        Assert.NotNull(after);
        AssertBitEqual(ModelRun.Execute(new FacilitiesModel(), Inputs(grown, facilities), Seed, Ct), after, "A grown");
        var (supplyBefore, loadBefore) = Outputs(before);
        var (supply, load) = Outputs(after);

        Assert.NotEqual(Row(supplyBefore, "A", "huisarts").Demand, Row(supply, "A", "huisarts").Demand);
        Assert.NotEqual(Row(supplyBefore, "B", "huisarts").Ratio, Row(supply, "B", "huisarts").Ratio);
        Assert.Same(Row(supplyBefore, "C", "huisarts"), Row(supply, "C", "huisarts"));
        Assert.Same(Load(loadBefore, "P3"), Load(load, "P3"));
        Assert.NotSame(Load(loadBefore, "P1"), Load(load, "P1"));
        Assert.All(supply.Where(s => s.Kind == "basisschool"), s => Assert.Same(Row(supplyBefore, s.Buurtcode, s.Kind), s));
        Assert.Same(Load(loadBefore, "S1"), Load(load, "S1"));
    }

    /// <summary>A facility gone takes its share from the buurten it reached; one added gives its share to those it reaches; the rest keep their records.</summary>
    [Fact]
    public void A_closed_practice_changes_the_rows_it_reached_and_no_other()
    {
        IReadOnlyList<BuurtPopulation> buurten = [Buurt("A", 0, 0, 2_000, 0), Buurt("B", 1_400, 0, 2_000, 0), Buurt("C", 20_000, 0, 2_000, 0)];
        IReadOnlyList<Facility> facilities = [Gp("P1", 0, 0, 1.0), Gp("P2", 1_400, 0, 1.0), Gp("P3", 20_000, 0, 1.0)];
        var model = new FacilitiesModel();
        var before = ModelRun.Execute(model, Inputs(buurten, facilities), Seed, Ct);
        IReadOnlyList<Facility> closed = [facilities[0], facilities[2]];

        var after = Update(model, (buurten, facilities, before), Copied(buurten), closed);

        Assert.NotNull(after);
        AssertBitEqual(ModelRun.Execute(new FacilitiesModel(), Inputs(buurten, closed), Seed, Ct), after, "P2 closed");
        var (supplyBefore, _) = Outputs(before);
        var (supply, _) = Outputs(after);
        var gp = supply.Where(s => s.Kind == "huisarts").ToList();
        var gpBefore = supplyBefore.Where(s => s.Kind == "huisarts").ToList();
        Assert.Equal([false, false, true], gp.Zip(gpBefore).Select(p => ReferenceEquals(p.First, p.Second)));
    }

    /// <summary>
    /// The buurten an edit lists change: a buurt gets its first dwellings (the population model lists buurten in code
    /// order, so it comes between two others), its dwellings go again, a buurt of the first run is no longer listed, and
    /// one buurt comes while another goes with a GP added; each brought up to date from the step before and from the first
    /// run, every row and load to the bit against a fresh model's full run.
    /// </summary>
    [Fact]
    public void Buurten_that_appear_or_go_are_brought_up_to_date_bit_for_bit()
    {
        var (buurten, facilities) = FacilitiesModelTests.RandomCity(new Random(23), 60, 12);
        var model = new FacilitiesModel();
        var baseline = ModelRun.Execute(model, Inputs(buurten, facilities), Seed, Ct);
        // BU0017A sorts between BU0017 and BU0018.
        var appearing = Buurt("BU0017A", 2_500, 3_100, 1_800, 240);
        List<BuurtPopulation> With(IReadOnlyList<BuurtPopulation> list, BuurtPopulation buurt) =>
            [.. Copied(list).Append(buurt).OrderBy(b => b.Buurtcode, StringComparer.Ordinal)];
        List<BuurtPopulation> Without(IReadOnlyList<BuurtPopulation> list, string code) => [.. Copied(list).Where(b => b.Buurtcode != code)];

        var steps = new (string Name, IReadOnlyList<BuurtPopulation> Buurten, IReadOnlyList<Facility> Facilities)[]
        {
            ("a buurt gets its first dwellings", With(buurten, appearing), facilities),
            ("its dwellings go again", Copied(buurten), facilities),
            ("a buurt of the first run no longer listed", Without(buurten, "BU0040"), facilities),
            ("one buurt comes, another goes, a GP added", With(Without(buurten, "BU0052"), appearing), [.. facilities, new Facility("huisarts-new", "huisarts", Point(2_600, 3_000), 1.5, "fte")]),
        };

        AssertChainEqualsFullRuns(model, (buurten, facilities, baseline), steps);
    }

    /// <summary>
    /// Buurt B appears 500 m from GP practice P1 (2,000 m catchment, detour factor 1.3), which also reaches A; P3 and buurt
    /// C are 20 km away. P1's R_j and A's row change, C's rows and P3's load stay the earlier records; when B goes again,
    /// A's row changes back and C's is still the record of the first run.
    /// </summary>
    [Fact]
    public void A_buurt_that_appears_or_goes_changes_only_the_rows_its_facilities_reach()
    {
        IReadOnlyList<BuurtPopulation> buurten = [Buurt("A", 0, 0, 2_095, 200), Buurt("C", 20_000, 0, 3_000, 250)];
        IReadOnlyList<Facility> facilities = [Gp("P1", 500, 0, 1.5), Gp("P3", 20_000, 500, 1.0), School("S1", 500, 0, 400)];
        var model = new FacilitiesModel();
        var first = ModelRun.Execute(model, Inputs(buurten, facilities), Seed, Ct);
        IReadOnlyList<BuurtPopulation> appeared = [.. Copied(buurten).Take(1), Buurt("B", 1_000, 0, 1_000, 100), .. Copied(buurten).Skip(1)];

        var withB = Update(model, (buurten, facilities, first), appeared, facilities);
        AssertBitEqual(ModelRun.Execute(new FacilitiesModel(), Inputs(appeared, facilities), Seed, Ct), withB, "B appeared");
        var withoutB = Update(model, (appeared, facilities, withB!), Copied(buurten), facilities);
        AssertBitEqual(ModelRun.Execute(new FacilitiesModel(), Inputs(buurten, facilities), Seed, Ct), withoutB, "B gone");

        var (supplyFirst, loadFirst) = Outputs(first);
        var (supplyWithB, loadWithB) = Outputs(withB!);
        var (supplyWithoutB, _) = Outputs(withoutB!);
        Assert.NotEqual(Row(supplyFirst, "A", "huisarts").Ratio, Row(supplyWithB, "A", "huisarts").Ratio);
        Assert.NotSame(Load(loadFirst, "P1"), Load(loadWithB, "P1"));
        Assert.Same(Load(loadFirst, "P3"), Load(loadWithB, "P3"));
        Assert.All(FacilityNorm.Dutch, n => Assert.Same(Row(supplyFirst, "C", n.Kind), Row(supplyWithB, "C", n.Kind)));
        Assert.All(FacilityNorm.Dutch, n => Assert.Same(Row(supplyFirst, "C", n.Kind), Row(supplyWithoutB, "C", n.Kind)));
        Assert.NotSame(Row(supplyWithB, "A", "huisarts"), Row(supplyWithoutB, "A", "huisarts"));
        Assert.Equal(Row(supplyFirst, "A", "huisarts"), Row(supplyWithoutB, "A", "huisarts"));
    }

    [Fact]
    public void A_reordered_buurt_list_a_repeated_code_or_a_run_this_instance_did_not_compute_is_declined()
    {
        var (buurten, facilities) = FacilitiesModelTests.RandomCity(new Random(5), 20, 5);
        var model = new FacilitiesModel();
        var before = ModelRun.Execute(model, Inputs(buurten, facilities), Seed, Ct);
        var elsewhere = ModelRun.Execute(new FacilitiesModel(), Inputs(buurten, facilities), Seed, Ct);

        Assert.Null(Update(model, (buurten, facilities, before), [.. buurten.Reverse()], facilities));
        // BU0005 twice, next to each other: the list is in order, but a code repeats (the full run refuses it).
        Assert.Null(Update(model, (buurten, facilities, before), [.. Copied(buurten).Take(6), Copied(buurten)[5], .. Copied(buurten).Skip(6)], facilities));
        Assert.Null(Update(model, (buurten, facilities, elsewhere), Copied(buurten), facilities));
        Assert.Null(Update(model, (buurten, facilities, before), Changed(buurten, 3, b => b with { Aged0To3 = -1 }), facilities));
        Assert.NotNull(Update(model, (buurten, facilities, before), Copied(buurten), facilities));
    }

    /// <summary>
    /// Brings each step up to date on <paramref name="model"/> from the step before (as the runner starts an edit from the
    /// previous edit) and from <paramref name="first"/> (the baseline every scenario's first edit starts from); both must be
    /// answered incrementally and equal a fresh model's full run to the bit.
    /// </summary>
    private static void AssertChainEqualsFullRuns(
        FacilitiesModel model,
        (IReadOnlyList<BuurtPopulation> Buurten, IReadOnlyList<Facility> Facilities, IReadOnlyDictionary<string, object> Outputs) first,
        IEnumerable<(string Name, IReadOnlyList<BuurtPopulation> Buurten, IReadOnlyList<Facility> Facilities)> steps)
    {
        var from = first;
        foreach (var (name, b, f) in steps)
        {
            var full = ModelRun.Execute(new FacilitiesModel(), Inputs(b, f), Seed, Ct);
            var updated = Update(model, from, b, f);
            var fromBaseline = Update(model, first, b, f);

            Assert.True(updated is not null && fromBaseline is not null, $"{name}: declined");
            AssertBitEqual(full, updated, name);
            AssertBitEqual(full, fromBaseline, $"{name}, from the baseline");
            from = (b, f, updated);
        }
    }

    private static IReadOnlyDictionary<string, object>? Update(
        FacilitiesModel model,
        (IReadOnlyList<BuurtPopulation> Buurten, IReadOnlyList<Facility> Facilities, IReadOnlyDictionary<string, object> Outputs) from,
        IReadOnlyList<BuurtPopulation> buurten,
        IReadOnlyList<Facility> facilities) =>
        ModelRun.ExecuteIncremental(
            model,
            Inputs(buurten, facilities),
            Seed,
            new PreviousRun(
                Inputs(from.Buurten, from.Facilities),
                from.Outputs,
                new HashSet<string>([FacilitiesPorts.Population.Name, FacilitiesPorts.Facilities.Name], StringComparer.Ordinal)),
            Ct);

    /// <summary>Every row and load as text with each double's bits, so equal lists are equal to the bit (0 and −0 differ).</summary>
    private static void AssertBitEqual(IReadOnlyDictionary<string, object> full, IReadOnlyDictionary<string, object>? updated, string step)
    {
        Assert.NotNull(updated);
        var (fullSupply, fullLoad) = Outputs(full);
        var (supply, load) = Outputs(updated);
        Assert.True(fullSupply.Select(Bits).SequenceEqual(supply.Select(Bits)), $"{step}: the supply rows differ from a full run's");
        Assert.True(fullLoad.Select(Bits).SequenceEqual(load.Select(Bits)), $"{step}: the loads differ from a full run's");
    }

    private static string Bits(BuurtFacilitySupply s) =>
        $"{s.Buurtcode} {s.Kind} {s.Unit} {Bits(s.Demand)} {Bits(s.CapacityInCatchment)} {Bits(s.AccessibleCapacity)} {Bits(s.Ratio)} {Bits(s.Shortage)} {s.FacilitiesInCatchment}";

    private static string Bits(FacilityLoad l) => $"{l.FacilityId} {l.Kind} {Bits(l.Capacity)} {Bits(l.DemandInCatchment)} {Bits(l.Load)}";

    private static string Bits(double value) => BitConverter.DoubleToInt64Bits(value).ToString("X16", CultureInfo.InvariantCulture);

    private static BuurtFacilitySupply Row(IReadOnlyList<BuurtFacilitySupply> rows, string code, string kind) => rows.Single(s => s.Buurtcode == code && s.Kind == kind);

    private static FacilityLoad Load(IReadOnlyList<FacilityLoad> loads, string id) => loads.Single(l => l.FacilityId == id);

    private static (IReadOnlyList<BuurtFacilitySupply> Supply, IReadOnlyList<FacilityLoad> Load) Outputs(IReadOnlyDictionary<string, object> outputs) =>
        ((IReadOnlyList<BuurtFacilitySupply>)outputs[FacilitiesPorts.Supply.Name], (IReadOnlyList<FacilityLoad>)outputs[FacilitiesPorts.Load.Name]);

    private static Dictionary<string, object> Inputs(IReadOnlyList<BuurtPopulation> buurten, IReadOnlyList<Facility> facilities) =>
        new(StringComparer.Ordinal) { [FacilitiesPorts.Population.Name] = buurten, [FacilitiesPorts.Facilities.Name] = facilities };

    /// <summary>Equal copies of every buurt (new records and points), as the population model writes them in each run.</summary>
    private static List<BuurtPopulation> Copied(IReadOnlyList<BuurtPopulation> buurten) =>
        [.. buurten.Select(b => b with { Centre = Point(b.Centre.X, b.Centre.Y) })];

    private static List<BuurtPopulation> Changed(IReadOnlyList<BuurtPopulation> buurten, int index, Func<BuurtPopulation, BuurtPopulation> change)
    {
        var changed = Copied(buurten);
        changed[index] = change(buurten[index]);
        return changed;
    }

    /// <summary>Every age group times <paramref name="factor"/>, the centre moved by (dx, dy) m: dwellings added or removed.</summary>
    private static BuurtPopulation Grown(BuurtPopulation b, double factor, double dx, double dy) =>
        new(b.Buurtcode, Point(b.Centre.X + dx, b.Centre.Y + dy), b.Aged0To3 * factor, b.Aged4To11 * factor, b.Aged12To17 * factor,
            b.Aged18To64 * factor, b.Aged65To74 * factor, b.Aged75Plus * factor);

    /// <summary>A year on: a quarter of 0–3, an eighth of 4–11, a sixth of 12–17, 1/47 of 18–64 and a tenth of 65–74 move one band up.</summary>
    private static BuurtPopulation Aged(BuurtPopulation b) =>
        new(b.Buurtcode, Point(b.Centre.X, b.Centre.Y), b.Aged0To3 * 0.75, b.Aged4To11 + (b.Aged0To3 / 4) - (b.Aged4To11 / 8),
            b.Aged12To17 + (b.Aged4To11 / 8) - (b.Aged12To17 / 6), b.Aged18To64 + (b.Aged12To17 / 6) - (b.Aged18To64 / 47),
            b.Aged65To74 + (b.Aged18To64 / 47) - (b.Aged65To74 / 10), b.Aged75Plus + (b.Aged65To74 / 10));

    private static Point Point(double x, double y) => s_rd.CreatePoint(new Coordinate(x, y));

    private static Facility Gp(string id, double x, double y, double fte) => new(id, "huisarts", Point(x, y), fte, "fte");

    private static Facility School(string id, double x, double y, double places) => new(id, "basisschool", Point(x, y), places, "leerlingplaatsen");

    private static BuurtPopulation Buurt(string code, double x, double y, double adults, double children) =>
        new(code, Point(x, y), 0, children, 0, adults, 0, 0);
}
