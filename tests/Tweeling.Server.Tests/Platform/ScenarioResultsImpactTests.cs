using Tweeling.Models.Results;
using Tweeling.Server.Features.Platform;

namespace Tweeling.Server.Tests.Platform;

/// <summary>The results table (baseline, scenario, delta per area) and the impact matrix over <see cref="SampleScenarioRun"/>.</summary>
public sealed class ScenarioResultsImpactTests
{
    [Fact]
    public void Rows_pair_baseline_and_scenario_per_area_with_the_municipality_first()
    {
        var table = ScenarioResultsTable.From(SampleScenarioRun.Create());

        var no2 = table.Rows(SampleScenarioRun.No2.Id);
        Assert.Equal([SampleScenarioRun.Municipality, "BU1", "BU2", "BU3"], no2.Select(r => r.Area));
        Assert.Equal(1, no2[0].Delta!.Value, 12);
        Assert.Equal(0.05, no2[0].RelativeDelta!.Value, 12);
        Assert.Equal(-0.05, no2[3].RelativeDelta!.Value, 12);
        var green = table.Rows(SampleScenarioRun.Green.Id);
        Assert.Null(green[1].RelativeDelta); // from a baseline of 0 there is no relative change
        Assert.Equal(2, green[1].Delta);
        Assert.Null(green[2].Delta); // the value disappears
        Assert.Equal(["inwoners", "groen-per-inwoner", "no2-jaargemiddelde"], table.Indicators.Select(i => i.Id));
    }

    [Fact]
    public void A_value_moves_beyond_one_percent_of_its_baseline_from_zero_on_any_change_and_when_it_appears_or_disappears()
    {
        Assert.False(new ResultRow("x", "BU1", 20, 20.1).Moves(ScenarioResultsImpact.Threshold));
        Assert.True(new ResultRow("x", "BU1", 20, 20.3).Moves(ScenarioResultsImpact.Threshold));
        Assert.True(new ResultRow("x", "BU1", -20, -20.3).Moves(ScenarioResultsImpact.Threshold));
        Assert.True(new ResultRow("x", "BU1", 0, 0.001).Moves(ScenarioResultsImpact.Threshold));
        Assert.False(new ResultRow("x", "BU1", 0, 0).Moves(ScenarioResultsImpact.Threshold));
        Assert.True(new ResultRow("x", "BU1", null, 3).Moves(ScenarioResultsImpact.Threshold));
        Assert.True(new ResultRow("x", "BU1", 3, null).Moves(ScenarioResultsImpact.Threshold));
        Assert.False(new ResultRow("x", "BU1", null, null).Moves(ScenarioResultsImpact.Threshold));
    }

    [Fact]
    public void The_matrix_has_every_domain_and_judges_direction_by_what_is_desirable()
    {
        var matrix = ScenarioResultsImpact.Matrix(ScenarioResultsTable.From(SampleScenarioRun.Create()));

        Assert.Equal(Enum.GetValues<ImpactDomain>(), matrix.Select(r => r.Domain));
        var no2 = Assert.Single(matrix.Single(r => r.Domain == ImpactDomain.Milieu).Cells);
        Assert.Equal(("hoger", "slechter", 1, 1, 3), (no2.Direction, no2.Judgement, no2.BuurtenUp, no2.BuurtenDown, no2.BuurtenCompared));
        var green = Assert.Single(matrix.Single(r => r.Domain == ImpactDomain.Fysiek).Cells);
        Assert.Equal(("gelijk", "gelijk", 1, 1, 3), (green.Direction, green.Judgement, green.BuurtenUp, green.BuurtenDown, green.BuurtenCompared));
        Assert.True(green.Moves); // the city stays equal, but two buurten move
        var residents = Assert.Single(matrix.Single(r => r.Domain == ImpactDomain.Sociaal).Cells);
        Assert.Equal(("hoger", "neutraal", 1, 0, 2), (residents.Direction, residents.Judgement, residents.BuurtenUp, residents.BuurtenDown, residents.BuurtenCompared));
        Assert.All(matrix.Where(r => r.Domain is ImpactDomain.Mobiliteit or ImpactDomain.Beheer), r => Assert.False(r.Moves));
    }

    [Theory]
    [InlineData(Desirability.HigherIsBetter, "hoger", "beter")]
    [InlineData(Desirability.HigherIsBetter, "lager", "slechter")]
    [InlineData(Desirability.LowerIsBetter, "hoger", "slechter")]
    [InlineData(Desirability.LowerIsBetter, "lager", "beter")]
    [InlineData(Desirability.Neutral, "lager", "neutraal")]
    [InlineData(Desirability.LowerIsBetter, "gelijk", "gelijk")]
    public void Judgement_follows_desirability(Desirability desirability, string direction, string judgement) =>
        Assert.Equal(judgement, ScenarioResultsImpact.Judge(desirability, direction));
}
