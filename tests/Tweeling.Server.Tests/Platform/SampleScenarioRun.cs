using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Results;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Platform;

/// <summary>
/// A finished scenario run written out by hand, with values chosen on both sides of the 1 % threshold, so that the
/// results table, the impact matrix and the report can be checked against numbers worked out here.
/// </summary>
internal static class SampleScenarioRun
{
    public const string Municipality = "GM0505";

    public static readonly ResultIndicator No2 = new("no2-jaargemiddelde", "NO2-jaargemiddelde", ImpactDomain.Milieu, "µg/m³", Desirability.LowerIsBetter, "luchtkwaliteit", Certainty.Middel, "SRM1 wijkt tot 30 % af.");
    public static readonly ResultIndicator Green = new("groen-per-inwoner", "Openbaar groen per inwoner", ImpactDomain.Fysiek, "m²", Desirability.HigherIsBetter, "groen", Certainty.Hoog, "Gemeten oppervlakken.");
    public static readonly ResultIndicator Residents = new("inwoners", "Inwoners", ImpactDomain.Sociaal, "personen", Desirability.Neutral, "bevolking", Certainty.Hoog, "Bezetting per woningtype (CBS).");

    /// <summary>
    /// no2: city 20 → 21 (+5 %: higher, worse); BU1 20 → 20.1 (+0.5 %: below the threshold), BU2 20 → 23 (+15 %), BU3 10 → 9.5 (−5 %).
    /// green: city 10 → 10.05 (+0.5 %: equal); BU1 0 → 2 (from zero: moves), BU2 5 → none (disappears: moves down), BU3 5 → 5.
    /// residents: city 1000 → 1200 (+20 %: higher, not judged); BU1 500 → 700, BU2 500 → 500, BU3 none on either side.
    /// </summary>
    public static ScenarioRun Create()
    {
        var scenario = new ScenarioVersion(7, 2, "Stationsgebied", "Tweeduizend woningen bij het station.", new DateOnly(2024, 1, 1),
            [new AgePopulation(10)], new string('a', 64), TwinServer.Now);
        IReadOnlyList<ResultIndicator> indicators = [Residents, Green, No2];
        var baseline = new ScenarioOutcome(indicators,
        [
            new(No2.Id, Municipality, 20), new(No2.Id, "BU1", 20), new(No2.Id, "BU2", 20), new(No2.Id, "BU3", 10),
            new(Green.Id, Municipality, 10), new(Green.Id, "BU1", 0), new(Green.Id, "BU2", 5), new(Green.Id, "BU3", 5),
            new(Residents.Id, Municipality, 1000), new(Residents.Id, "BU1", 500), new(Residents.Id, "BU2", 500), new(Residents.Id, "BU3", null),
        ], [], new Dictionary<string, string> { ["luchtkwaliteit"] = "1.0.0" }, new string('b', 64));
        var outcome = new ScenarioOutcome(indicators,
        [
            new(No2.Id, Municipality, 21), new(No2.Id, "BU1", 20.1), new(No2.Id, "BU2", 23), new(No2.Id, "BU3", 9.5),
            new(Green.Id, Municipality, 10.05), new(Green.Id, "BU1", 2), new(Green.Id, "BU2", null), new(Green.Id, "BU3", 5),
            new(Residents.Id, Municipality, 1200), new(Residents.Id, "BU1", 700), new(Residents.Id, "BU2", 500), new(Residents.Id, "BU3", null),
        ], [], new Dictionary<string, string> { ["luchtkwaliteit"] = "1.0.0" }, new string('c', 64));
        return new ScenarioRun(scenario, 1, baseline, outcome, ["luchtkwaliteit"], TimeSpan.FromMilliseconds(420));
    }

    /// <summary>Three 500 m square buurten side by side, west to east, in RD New near Dordrecht.</summary>
    public static IReadOnlyList<Feature> Buurten()
    {
        var factory = TwinHost.GeometryServices.CreateGeometryFactory(Crs.RdNewSrid);
        return [.. new[] { "BU1", "BU2", "BU3" }.Select((code, i) =>
        {
            var x = 105_000 + i * 500;
            var square = factory.CreatePolygon([new(x, 425_000), new(x + 500, 425_000), new(x + 500, 425_500), new(x, 425_500), new(x, 425_000)]);
            return new Feature(TwinCollections.Buurten, code, square, new Dictionary<string, object?> { ["naam"] = $"Buurt {i + 1}" }, new ValidityInterval(TwinServer.Now), "cbs-wijken-buurten");
        })];
    }
}
