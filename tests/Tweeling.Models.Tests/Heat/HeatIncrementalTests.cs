using Tweeling.Models.Graph;
using Tweeling.Models.Heat;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Heat;

/// <summary>
/// The heat model's update after an edit (<see cref="HeatModel"/>'s <see cref="IIncrementalModel"/>): whatever the
/// earlier land cover it starts from, the cells are bit for bit those of a full run on the new land cover, and the
/// update pairs the two lists however they differ (polygons replaced, inserted or dropped in one place or many, a
/// long run dropped, a polygon listed twice).
/// </summary>
public sealed class HeatIncrementalTests
{
    private const int Seed = 0;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Edits() => ["replaced", "inserted", "dropped", "scattered", "long run dropped", "appended", "listed twice"];

    [Theory]
    [MemberData(nameof(Edits))]
    public void An_update_equals_a_full_run_on_the_new_land_cover(string edit)
    {
        var (areas, grid) = City(seed: 5);
        var edited = Edit(areas, edit, new Random(edit.Length));
        var model = new HeatModel();
        var earlier = ModelRun.Execute(model, Inputs(areas, grid), Seed, Ct);

        var updated = Update(model, areas, earlier, edited, grid);

        Assert.NotNull(updated);
        Assert.Equal(Fingerprint(ModelRun.Execute(new HeatModel(), Inputs(edited, grid), Seed, Ct)), Fingerprint(updated));
    }

    /// <summary>
    /// The guard of the model's kept state (the positions of an earlier list's polygons, kept beside the list): A → B → A
    /// and then B again from that, on one model instance, each equal to a fresh model's full run.
    /// </summary>
    [Fact]
    public void Back_and_forth_between_two_land_covers_equals_fresh_full_runs()
    {
        var (a, grid) = City(seed: 11);
        var b = Edit(a, "scattered", new Random(3));
        var model = new HeatModel();
        var fullA = ModelRun.Execute(new HeatModel(), Inputs(a, grid), Seed, Ct);
        var fullB = ModelRun.Execute(new HeatModel(), Inputs(b, grid), Seed, Ct);

        var toB = Update(model, a, ModelRun.Execute(model, Inputs(a, grid), Seed, Ct), b, grid)!;
        var backToA = Update(model, b, toB, a, grid)!;
        var toBAgain = Update(model, a, backToA, b, grid)!;

        Assert.Equal(Fingerprint(fullB), Fingerprint(toB));
        Assert.Equal(Fingerprint(fullA), Fingerprint(backToA));
        Assert.Equal(Fingerprint(fullB), Fingerprint(toBAgain));
    }

    /// <summary>The guard of the reaches kept beside a land-cover list: they hold for one grid, and another grid gets its own.</summary>
    [Fact]
    public void The_same_land_cover_on_another_grid_equals_a_fresh_model()
    {
        var (areas, grid) = City(seed: 4);
        var model = new HeatModel();
        var shifted = grid with { MinX = 50, MinY = -50, Columns = 21, Rows = 21 };

        ModelRun.Execute(model, Inputs(areas, grid), Seed, Ct);
        var again = ModelRun.Execute(model, Inputs(areas, shifted), Seed, Ct);

        Assert.Equal(Fingerprint(ModelRun.Execute(new HeatModel(), Inputs(areas, shifted), Seed, Ct)), Fingerprint(again));
    }

    [Fact]
    public void An_edit_far_from_a_cell_leaves_that_cell_the_earlier_runs_instance()
    {
        // One polygon replaced in the south-west corner: the cells beyond the 500 m radius are the earlier records themselves.
        var (areas, grid) = City(seed: 2);
        var corner = areas.FindIndex(a => a.Geometry.EnvelopeInternal.MaxX < 100 && a.Geometry.EnvelopeInternal.MaxY < 100);
        Assert.True(corner >= 0);
        var edited = new List<LandCoverArea>(areas) { [corner] = new(Geo.Box(10, 10, 40, 40), LandCover.Water) };
        var model = new HeatModel();
        var earlier = ModelRun.Execute(model, Inputs(areas, grid), Seed, Ct);

        var cells = (IReadOnlyList<HeatCell>)Update(model, areas, earlier, edited, grid)![HeatPorts.Cells.Name];
        var before = (IReadOnlyList<HeatCell>)earlier[HeatPorts.Cells.Name];

        var far = cells.Select((c, i) => (c, i)).Where(p => p.c.Column > 8 || p.c.Row > 8).ToList();
        Assert.NotEmpty(far);
        Assert.All(far, p => Assert.Same(before[p.i], p.c));
        Assert.NotEqual(before[0], cells[0]);
    }

    private static IReadOnlyDictionary<string, object>? Update(HeatModel model, IReadOnlyList<LandCoverArea> from, IReadOnlyDictionary<string, object> earlier, IReadOnlyList<LandCoverArea> to, HeatGrid grid) =>
        ModelRun.ExecuteIncremental(
            model,
            Inputs(to, grid),
            Seed,
            new PreviousRun(Inputs(from, grid), earlier.ToDictionary(), new HashSet<string>([HeatPorts.LandCover.Name], StringComparer.Ordinal)),
            Ct);

    /// <summary>The land cover with one kind of edit; every polygon not edited is the same instance.</summary>
    private static List<LandCoverArea> Edit(List<LandCoverArea> areas, string edit, Random random)
    {
        // New polygons in the north-east corner, as an edit adds its buildings in one area.
        LandCoverArea New()
        {
            var box = Box(random, 400, LandCover.Building).Geometry.EnvelopeInternal;
            return new LandCoverArea(Geo.Box(1_500 + box.MinX, 1_500 + box.MinY, 1_500 + box.MaxX, 1_500 + box.MaxY), LandCover.Building);
        }

        var edited = new List<LandCoverArea>(areas);
        var at = areas.Count / 3;
        switch (edit)
        {
            case "replaced":
                for (var k = 0; k < 60; k++)
                {
                    edited[at + k] = New();
                }

                break;
            case "inserted":
                edited.InsertRange(at, Enumerable.Range(0, 40).Select(_ => New()));
                break;
            case "dropped":
                edited.RemoveRange(at, 40);
                break;
            case "scattered":
                for (var k = 0; k < 30; k++)
                {
                    var i = random.Next(edited.Count);
                    switch (k % 3)
                    {
                        case 0:
                            edited[i] = New();
                            break;
                        case 1:
                            edited.Insert(i, New());
                            break;
                        default:
                            edited.RemoveAt(i);
                            break;
                    }
                }

                break;
            case "long run dropped":
                // Longer than the side-by-side walk looks ahead: the lists are then paired by instance.
                edited.RemoveRange(at, 500);
                break;
            case "appended":
                edited.AddRange(Enumerable.Range(0, 200).Select(_ => New()));
                break;
            case "listed twice":
                // A polygon instance twice in the new list: paired once, the second counted as new.
                edited.Insert(at, areas[at + 5]);
                break;
            default:
                throw new ArgumentException(edit, nameof(edit));
        }

        return edited;
    }

    /// <summary>
    /// 8,000 rectangles over 2 × 2 km on a grid of 100 m cells, listed row by row as a store lists its features (roughly
    /// by place), so that a run of the list is a strip of the city and an edit of a run changes well under half the cells.
    /// </summary>
    private static (List<LandCoverArea> Areas, HeatGrid Grid) City(int seed)
    {
        var random = new Random(seed);
        var areas = Enumerable.Range(0, 8_000).Select(_ => Box(random, 2_000, (LandCover)random.Next(5)))
            .OrderBy(a => Math.Floor(a.Geometry.EnvelopeInternal.MinY / 100)).ThenBy(a => a.Geometry.EnvelopeInternal.MinX)
            .ToList();
        return (areas, new HeatGrid(0, 0, 20, 20, 100));
    }

    // A rectangle of 5–160 m: the larger ones cross cell edges, so both the single-cell and the clipped sums are edited.
    private static LandCoverArea Box(Random random, double sizeM, LandCover cover)
    {
        var (x, y) = (random.NextDouble() * sizeM, random.NextDouble() * sizeM);
        var (w, h) = (5 + (random.NextDouble() * 155), 5 + (random.NextDouble() * 155));
        return new LandCoverArea(Geo.Box(x, y, Math.Min(sizeM, x + w), Math.Min(sizeM, y + h)), cover);
    }

    private static Dictionary<string, object> Inputs(IReadOnlyList<LandCoverArea> areas, HeatGrid grid) => new()
    {
        [HeatPorts.LandCover.Name] = areas,
        [HeatPorts.Grid.Name] = grid,
        [HeatPorts.Weather.Name] = HeatWeather.IllustrativeHotDay,
    };

    private static string Fingerprint(IReadOnlyDictionary<string, object> outputs) => OutputFingerprint.Of(outputs);
}
