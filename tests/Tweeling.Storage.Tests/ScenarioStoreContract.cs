using NetTopologySuite.Geometries;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Scenarios;

namespace Tweeling.Storage.Tests;

/// <summary>The scenario store of the backend under test, its audit log, and what closes them.</summary>
public sealed record ScenarioStoreUnderTest(IScenarioStore Scenarios, IAuditLog Audit, IAsyncDisposable Lifetime) : IStoreUnderTest;

/// <summary>
/// What every <see cref="IScenarioStore"/> must do: versions are numbered from 1 and immutable, an update adds the
/// next version, content and its hash survive a reopen exactly, a delete removes every version, and a write's audit
/// record commits with it.
/// </summary>
public abstract class ScenarioStoreContract : BackendContract<ScenarioStoreUnderTest>
{
    private static readonly GeometryFactory s_rd = new(new PrecisionModel(), 28992);
    private static readonly DateTimeOffset s_at = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The store under test.</summary>
    protected IScenarioStore Scenarios => Store.Scenarios;

    /// <summary>The audit log of the same store.</summary>
    protected IAuditLog Audit => Store.Audit;

    [Fact]
    public async Task Creating_makes_version_1_and_the_content_reads_back_exactly_after_a_reopen()
    {
        var draft = Draft("Stationsgebied", Housing(2000), new AgePopulation(5), new CloseRoads(["WV1", "WV2"]));

        var created = await Scenarios.CreateAsync(draft, s_at, null, Ct);
        await ReopenAsync();
        var found = await Scenarios.FindAsync(created.ScenarioId, 1, Ct);

        Assert.Equal(1, created.Version);
        Assert.NotNull(found);
        Assert.Equal("Stationsgebied", found.Name);
        Assert.Equal(new DateOnly(2026, 1, 1), found.ReferenceDate);
        Assert.Equal(s_at, found.CreatedAt);
        Assert.Equal(ScenarioContent.Hash(draft.ReferenceDate, draft.Interventions), found.ContentHash);
        Assert.Equal(created.ContentHash, ScenarioContent.Hash(found.ReferenceDate, found.Interventions));
        var housing = Assert.IsType<AddDwellings>(found.Interventions[0]);
        Assert.Equal(2000, housing.Count);
        Assert.True(housing.Area.EqualsExact(((AddDwellings)draft.Interventions[0]).Area));
        Assert.Equal(["WV1", "WV2"], Assert.IsType<CloseRoads>(found.Interventions[2]).LinkIds);
    }

    [Fact]
    public async Task An_update_adds_the_next_version_and_leaves_the_earlier_one_unchanged()
    {
        var first = await Scenarios.CreateAsync(Draft("Plan", Housing(100)), s_at, null, Ct);

        var second = await Scenarios.UpdateAsync(first.ScenarioId, Draft("Plan, groter", Housing(300)), s_at.AddHours(1), null, Ct);
        var missing = await Scenarios.UpdateAsync(first.ScenarioId + 100, Draft("Niets", Housing(1)), s_at, null, Ct);

        Assert.NotNull(second);
        Assert.Equal(2, second.Version);
        Assert.Null(missing);
        Assert.NotEqual(first.ContentHash, second.ContentHash);
        Assert.Equal(100, Assert.IsType<AddDwellings>((await Scenarios.FindAsync(first.ScenarioId, 1, Ct))!.Interventions[0]).Count);
        Assert.Equal(2, (await Scenarios.FindAsync(first.ScenarioId, null, Ct))!.Version);
        Assert.Null(await Scenarios.FindAsync(first.ScenarioId, 3, Ct));
        var listed = Assert.Single(await Scenarios.ListAsync(Ct));
        Assert.Equal(("Plan, groter", 2), (listed.Name, listed.Version));
    }

    [Fact]
    public async Task Equal_content_has_an_equal_hash_whatever_the_name()
    {
        var a = await Scenarios.CreateAsync(Draft("A", Housing(100)), s_at, null, Ct);
        var b = await Scenarios.CreateAsync(Draft("B", Housing(100)) with { Description = "Anders beschreven" }, s_at, null, Ct);
        var c = await Scenarios.CreateAsync(Draft("A", Housing(100)) with { ReferenceDate = new DateOnly(2025, 1, 1) }, s_at, null, Ct);

        Assert.NotEqual(a.ScenarioId, b.ScenarioId);
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
    }

    [Fact]
    public async Task A_delete_removes_every_version_and_a_write_commits_its_audit_record()
    {
        var audit = new AuditEntry(s_at, "analist-1", "analist", null, "create", "POST /api/v1/scenarios", 1, "scenarios", AuditEntry.Ok);
        var created = await Scenarios.CreateAsync(Draft("Weg", Housing(10)), s_at, audit, Ct);
        await Scenarios.UpdateAsync(created.ScenarioId, Draft("Weg 2", Housing(20)), s_at, audit with { Action = "update" }, Ct);

        Assert.True(await Scenarios.DeleteAsync(created.ScenarioId, audit with { Action = "delete" }, Ct));
        Assert.False(await Scenarios.DeleteAsync(created.ScenarioId, null, Ct));
        Assert.Null(await Scenarios.FindAsync(created.ScenarioId, 1, Ct));
        Assert.Empty(await Scenarios.ListAsync(Ct));
        Assert.Equal(["create", "update", "delete"], await Audit.ReadAsync(AuditFilter.All, Ct).Select(r => r.Entry.Action).ToListAsync(Ct));
    }

    private static ScenarioDraft Draft(string name, params Intervention[] interventions) => new(name, null, new DateOnly(2026, 1, 1), interventions);

    private static AddDwellings Housing(int count) => new(
        s_rd.CreatePolygon([new(104_000.125, 424_000), new(104_500, 424_000), new(104_500, 424_400), new(104_000.125, 424_000)]),
        count,
        DwellingType.Appartement,
        Tenure.SocialeHuur);
}
