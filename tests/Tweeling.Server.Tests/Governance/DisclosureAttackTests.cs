using System.Text.Json;
using Tweeling.Domain.Indicators;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Governance.Disclosure;

namespace Tweeling.Server.Tests.Governance;

/// <summary>
/// Differencing attacks on the demo city's household register as the public role sees it over HTTP: overlapping areas
/// (a wijk and its buurten), an area minus its sub-areas (the gemeente minus all published wijken or buurten), the same
/// question with different filters (one area, one level, all areas, other peildatums), and time slices (both snapshots
/// together, also assuming the cells that did not change are equal in both). The attacker's knowledge is exactly what <c>/api/v1/gebieden</c> returned; the truth comes from the store.
/// </summary>
[Collection(DemoCityCollection.Name)]
public sealed class DisclosureAttackTests(DemoCityServer fixture)
{
    private static readonly DateOnly s_first = new(2024, 1, 1);
    private static readonly DateOnly s_second = new(2024, 7, 1);

    private static readonly string[] s_published =
    [
        "register_huishoudens_laag_inkomen", "register_huishoudens_betalingsachterstand", "register_huishoudens_multiprobleem", "register_besteedbaar_inkomen_gemiddeld",
    ];

    private TwinServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What the public sees: (indicator, area) → value (null when hidden), with the reference date of each value.</summary>
    private async Task<Dictionary<(string Indicator, string Area), (double? Value, string Peildatum)>> PublicViewAsync(string query)
    {
        var view = new Dictionary<(string, string), (double?, string)>();
        foreach (var area in (await Server.GetJsonAsync("/api/v1/gebieden" + query)).EnumerateArray())
        {
            foreach (var indicator in area.GetProperty("indicatoren").EnumerateArray())
            {
                var value = indicator.GetProperty("waarde");
                view[(indicator.GetProperty("code").GetString()!, area.GetProperty("code").GetString()!)] =
                    (value.ValueKind == JsonValueKind.Null ? null : value.GetDouble(), indicator.GetProperty("peildatum").GetString()!);
            }
        }

        return view;
    }

    private async Task<(DisclosureRule Rule, DisclosureTable Truth)> TruthAsync(string code, DateOnly date)
    {
        var indicators = (IIndicatorStore)Server.Store;
        var rule = (await indicators.FindAsync(code, Ct))!.Disclosure!;
        string[] codes = [code, .. new[] { rule.ObservationsIndicator, rule.DominanceIndicator }.OfType<string>()];
        var rows = await indicators.TableAsync(codes, date, Ct);
        Dictionary<string, double?> Column(string? c) => c is null ? [] : rows.Where(r => r.IndicatorCode == c).ToDictionary(r => r.AreaCode, r => r.Value);
        return (rule, new DisclosureTable(Column(code), Column(rule.ObservationsIndicator), Column(rule.DominanceIndicator)));
    }

    /// <summary>The public's view of one indicator as disclosed cells (a hidden cell is just "hidden": the public cannot tell why).</summary>
    private static List<DisclosedCell> Seen(Dictionary<(string Indicator, string Area), (double? Value, string Peildatum)> view, string code) =>
        [.. view.Where(p => p.Key.Indicator == code)
            .Select(p => new DisclosedCell(p.Key.Area, p.Value.Value, p.Value.Value is null ? CellStatus.PrimarySuppressed : CellStatus.Published))];

    [Fact]
    public async Task The_public_sees_register_indicators_only_through_disclosure_control_and_neither_the_register_nor_its_helper_figures()
    {
        var indicators = (await Server.GetJsonAsync("/api/v1/indicatoren")).EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        var datasets = (await Server.GetJsonAsync("/api/v1/datasets")).EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        var view = await PublicViewAsync("?peildatum=2024-03-01");

        Assert.All(s_published, code => Assert.Contains(code, indicators));
        Assert.DoesNotContain("register_besteedbaar_inkomen_waarnemingen", indicators);
        Assert.DoesNotContain("register_besteedbaar_inkomen_dominantie", indicators);
        Assert.DoesNotContain(view.Keys, k => k.Indicator is "register_besteedbaar_inkomen_waarnemingen" or "register_besteedbaar_inkomen_dominantie");
        Assert.DoesNotContain("demostad-huishoudensregister", datasets);
        Assert.DoesNotContain("demostad-multiprobleem", datasets);
        using var response = await Server.Client.GetAsync("/api/v1/indicatoren/register_besteedbaar_inkomen_waarnemingen", Ct);
        Assert.Equal(404, (int)response.StatusCode);

        // Signals are never shown per buurt; published counts are multiples of 5 (100 for income counts), means of 100 euro.
        Assert.DoesNotContain(view.Keys, k => k.Indicator == "register_huishoudens_betalingsachterstand" && k.Area.StartsWith("BU", StringComparison.Ordinal));
        Assert.Contains(view.Keys, k => k.Indicator == "register_huishoudens_betalingsachterstand" && k.Area.StartsWith("WK", StringComparison.Ordinal));
        Assert.All(view.Where(p => p.Key.Indicator is "register_huishoudens_multiprobleem" or "register_huishoudens_betalingsachterstand" && p.Value.Value is not null), p => Assert.Equal(0, p.Value.Value!.Value % 5));
        Assert.All(view.Where(p => p.Key.Indicator is "register_huishoudens_laag_inkomen" or "register_besteedbaar_inkomen_gemiddeld" && p.Value.Value is not null), p => Assert.Equal(0, p.Value.Value!.Value % 100));
    }

    [Theory]
    [InlineData("2024-03-01", "2024-01-01")]
    [InlineData("2025-03-01", "2024-07-01")]
    public async Task No_hidden_cell_can_be_recovered_from_overlapping_areas_or_an_area_minus_its_sub_areas(string peildatum, string referenceDate)
    {
        var view = await PublicViewAsync("?peildatum=" + peildatum);
        var hidden = 0;
        foreach (var code in s_published)
        {
            var (rule, truth) = await TruthAsync(code, DateOnly.Parse(referenceDate, System.Globalization.CultureInfo.InvariantCulture));
            var seen = Seen(view, code);
            Assert.All(view.Where(p => p.Key.Indicator == code), p => Assert.Equal(referenceDate, p.Value.Peildatum));
            var (cells, equations) = DifferencingAudit.Describe("", rule, truth, seen);

            var exposures = DifferencingAudit.Audit(cells, equations);

            hidden += exposures.Count;
            Assert.True(exposures.All(e => e.IsProtected), $"{code}: " + string.Join("; ", exposures.Where(e => !e.IsProtected)));
        }

        Assert.True(hidden > 10, $"only {hidden} hidden cells: the attack would prove nothing");
    }

    [Fact]
    public async Task The_same_audit_recovers_hidden_cells_exactly_when_secondary_suppression_and_rounding_are_left_out()
    {
        // Rounding alone already blurs a lone hidden cell by the rounding of its published siblings; with exact
        // publication the subtraction recovers hidden cells to the unit, which is what secondary suppression prevents.
        var exposed = new List<CellExposure>();
        foreach (var code in new[] { "register_huishoudens_betalingsachterstand", "register_besteedbaar_inkomen_gemiddeld" })
        {
            var (stored, truth) = await TruthAsync(code, s_first);
            var rule = stored with { RoundingBase = 0 };
            var weak = DisclosureControl.Protect(rule, truth)
                .Select(c => c.Status == CellStatus.SecondarySuppressed ? c with { Value = DisclosureControl.Round(truth.Values[c.AreaCode]!.Value, rule.RoundingBase), Status = CellStatus.Published } : c)
                .ToList();
            var (cells, equations) = DifferencingAudit.Describe("", rule, truth, weak);
            exposed.AddRange(DifferencingAudit.Audit(cells, equations).Where(e => !e.IsProtected));
        }

        Assert.NotEmpty(exposed);
        Assert.Contains(exposed, e => e.Upper - e.Lower < 1e-6 * Math.Max(1, Math.Abs(e.TrueValue)));
    }

    [Fact]
    public async Task The_same_question_with_other_filters_shows_the_same_values()
    {
        var all = await PublicViewAsync("?peildatum=2024-03-01");
        var perLevel = new Dictionary<(string Indicator, string Area), (double? Value, string Peildatum)>();
        foreach (var level in new[] { "gemeente", "wijk", "buurt" })
        {
            foreach (var entry in await PublicViewAsync($"?niveau={level}&peildatum=2024-03-01"))
            {
                perLevel.Add(entry.Key, entry.Value);
            }
        }

        Assert.Equal(all.OrderBy(p => p.Key), perLevel.OrderBy(p => p.Key));
        var areas = all.Keys.Select(k => k.Area).Distinct().Order(StringComparer.Ordinal).Where((_, i) => i % 4 == 0).ToList();
        foreach (var area in areas)
        {
            var one = await Server.GetJsonAsync($"/api/v1/gebieden/{area}?peildatum=2024-03-01");
            foreach (var indicator in one.GetProperty("indicatoren").EnumerateArray())
            {
                var value = indicator.GetProperty("waarde");
                Assert.Equal(all[(indicator.GetProperty("code").GetString()!, area)].Value, value.ValueKind == JsonValueKind.Null ? null : value.GetDouble());
            }
        }
    }

    [Fact]
    public async Task Every_peildatum_that_selects_a_snapshot_shows_that_snapshot_identically_and_both_snapshots_together_recover_nothing()
    {
        var first = await PublicViewAsync("?peildatum=2024-01-01");
        var second = await PublicViewAsync("?peildatum=2024-07-01");
        foreach (var peildatum in new[] { "2024-02-15", "2024-06-30", "2024-07-02", "2025-01-01", "2025-03-01" })
        {
            var view = await PublicViewAsync("?peildatum=" + peildatum);
            var expected = string.CompareOrdinal(peildatum, "2024-07-01") < 0 ? first : second;
            foreach (var code in s_published)
            {
                Assert.Equal(expected.Where(p => p.Key.Indicator == code).OrderBy(p => p.Key), view.Where(p => p.Key.Indicator == code).OrderBy(p => p.Key));
            }
        }

        foreach (var code in s_published)
        {
            var (rule, truthFirst) = await TruthAsync(code, s_first);
            var (_, truthSecond) = await TruthAsync(code, s_second);

            var exposures = TimeSliceAttack(rule, truthFirst, truthSecond, Seen(first, code), Seen(second, code), assumeUnchanged: false);
            var assumingUnchanged = TimeSliceAttack(rule, truthFirst, truthSecond, Seen(first, code), Seen(second, code), assumeUnchanged: true);

            Assert.True(exposures.All(e => e.IsProtected), $"{code}: " + string.Join("; ", exposures.Where(e => !e.IsProtected)));
            Assert.True(assumingUnchanged.All(e => e.IsProtected), $"{code}, assuming unchanged cells: " + string.Join("; ", assumingUnchanged.Where(e => !e.IsProtected)));
        }
    }

    /// <summary>
    /// Suppression is decided over both snapshots together: an area hidden in one is hidden in the other, so a cell that
    /// protects another in one snapshot is never handed out by the other.
    /// </summary>
    [Fact]
    public async Task An_area_hidden_in_one_snapshot_is_hidden_in_the_other()
    {
        var first = await PublicViewAsync("?peildatum=2024-01-01");
        var second = await PublicViewAsync("?peildatum=2024-07-01");
        var hiddenAreas = 0;
        foreach (var code in s_published)
        {
            var hiddenFirst = Seen(first, code).Where(c => c.Value is null).Select(c => c.AreaCode).Order(StringComparer.Ordinal).ToList();
            var hiddenSecond = Seen(second, code).Where(c => c.Value is null).Select(c => c.AreaCode).Order(StringComparer.Ordinal).ToList();

            Assert.Equal(hiddenFirst, hiddenSecond);
            hiddenAreas += hiddenFirst.Count;
        }

        Assert.True(hiddenAreas > 10, $"only {hiddenAreas} hidden areas: the comparison would prove nothing");
    }

    /// <summary>
    /// Both snapshots audited together; with <paramref name="assumeUnchanged"/> the attacker also knows which areas did not
    /// change between them (the strongest form of "assume it stayed the same": right for exactly those areas), as
    /// equations between the two snapshots' cells.
    /// </summary>
    private static IReadOnlyList<CellExposure> TimeSliceAttack(
        DisclosureRule rule, DisclosureTable truthFirst, DisclosureTable truthSecond, IReadOnlyList<DisclosedCell> seenFirst, IReadOnlyList<DisclosedCell> seenSecond, bool assumeUnchanged)
    {
        var (cellsFirst, equationsFirst) = DifferencingAudit.Describe("t1/", rule, truthFirst, seenFirst);
        var (cellsSecond, equationsSecond) = DifferencingAudit.Describe("t2/", rule, truthSecond, seenSecond);
        var second = cellsSecond.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var unchanged = assumeUnchanged
            ? cellsFirst
                .Where(c => second.TryGetValue("t2/" + c.Id["t1/".Length..], out var later) && later.TrueValue == c.TrueValue)
                .Select(c => new AuditEquation(c.Id, ["t2/" + c.Id["t1/".Length..]]))
                .ToList()
            : [];
        return DifferencingAudit.Audit([.. cellsFirst, .. cellsSecond], [.. equationsFirst, .. equationsSecond, .. unchanged]);
    }

    [Fact]
    public async Task A_role_that_may_read_the_microdata_for_a_listed_purpose_sees_the_values_unprotected_and_no_one_else_does()
    {
        var disclosure = new IndicatorDisclosure(Server.Store, Server.Store);
        var areas = (await ((IIndicatorStore)Server.Store).TableAsync(["register_huishoudens_multiprobleem"], s_first, Ct)).Select(v => v.AreaCode).ToList();
        async Task<Dictionary<(string, string), double?>> ValuesAsync(Caller caller) =>
            (await disclosure.ValuesAsOfAsync(caller, areas, new DateOnly(2024, 3, 1), Ct))
                .Where(v => v.Value.IndicatorCode.StartsWith("register_", StringComparison.Ordinal))
                .ToDictionary(v => (v.Value.IndicatorCode, v.Value.AreaCode), v => v.Value.Value);
        var truth = (await ((IIndicatorStore)Server.Store).TableAsync(
            [.. s_published, "register_besteedbaar_inkomen_waarnemingen", "register_besteedbaar_inkomen_dominantie"], s_first, Ct)).ToDictionary(v => (v.IndicatorCode, v.AreaCode), v => v.Value);

        var steward = await ValuesAsync(new Caller(Role.Datasteward, "beleidsonderzoek"));
        var analyst = await ValuesAsync(new Caller(Role.Analist, "beleidsonderzoek"));
        var analystWithoutPurpose = await ValuesAsync(new Caller(Role.Analist));
        var employee = await ValuesAsync(new Caller(Role.Medewerker, "beleidsonderzoek"));
        var anonymous = await ValuesAsync(Caller.Anonymous);

        Assert.Equal(truth.OrderBy(p => p.Key), steward.OrderBy(p => p.Key));
        Assert.Equal(truth.Where(p => p.Key.IndicatorCode != "register_huishoudens_multiprobleem").OrderBy(p => p.Key),
            analyst.Where(p => p.Key.Item1 != "register_huishoudens_multiprobleem").OrderBy(p => p.Key));
        Assert.Equal(anonymous.Where(p => p.Key.Item1 == "register_huishoudens_multiprobleem").OrderBy(p => p.Key),
            analyst.Where(p => p.Key.Item1 == "register_huishoudens_multiprobleem").OrderBy(p => p.Key));
        Assert.Equal(anonymous.OrderBy(p => p.Key), analystWithoutPurpose.OrderBy(p => p.Key));
        Assert.Equal(anonymous.OrderBy(p => p.Key), employee.OrderBy(p => p.Key));
        Assert.Contains(anonymous, p => p.Value is null);
        Assert.DoesNotContain(anonymous.Keys, k => k.Item1 == "register_besteedbaar_inkomen_waarnemingen");
    }
}
