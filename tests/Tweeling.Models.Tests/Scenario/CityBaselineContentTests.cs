using Tweeling.Models.Graph;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// The content of the baseline read from the demo city store (scale 1, seed 1, 2024-01-01), pinned: the store read
/// path may change how it reads (queries, paging, decoding, locating buurten), never what it reads.
/// </summary>
[Collection(DemoCityStoreCollection.Name)]
public sealed class CityBaselineContentTests(DemoCityStore demo)
{
    /// <summary>
    /// The content hashes of what <c>CityBaseline.ReadAsync</c> returned for the demo city before the scale-10 work on
    /// the read path (main at 2ab7712): buurten, buildings (with their buurt and jobs), dwellings, roads, facilities,
    /// trees and buurt figures. Taken from that code, not from the code under test.
    /// </summary>
    private static readonly Dictionary<string, string> s_before = new(StringComparer.Ordinal)
    {
        ["buurten"] = "f408689aba318fd15c49c9c752775e808babdaea907e538dab4f309f47e1823a",
        ["buildings"] = "851ebd1701eccab97eba04578e3bebf636026ce3a1009fce1ca305775c3076c2",
        ["dwellings"] = "30962adf1a95ab80ddfb17b49b26636bbcdcfbdc8b5f6e3fae8c53b3de2c6228",
        ["roads"] = "3cbf87d4f6a4f44cba2e16bf4af691b9b3c556a3efdb670ed76139b94910c470",
        ["facilities"] = "33df9e8ce3768f85ed6416bb4bf5d1317fae07509f20784dc6a1a185a1fa2c43",
        ["trees"] = "b9216f6fbbce20029a8fdfaebf86988dceb8d9ceba0d41b8fa3e0d7b2c3e59b2",
        ["statistics"] = "fe0afbe99c7ccaa596b1133caf594566e232416f8fa7d5f0e90640017d321fad",
        ["lowIncome"] = "139b6c77741616ab329bcb51dbef9ea75ba71bc2b0040fe8f8bc81596c11b47a",
    };

    [Fact]
    public void The_read_returns_the_same_city_as_before_the_read_path_changed()
    {
        var city = demo.City;
        var now = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["buurten"] = ContentHash.Of(city.Buurten),
            ["buildings"] = ContentHash.Of(city.Buildings),
            ["dwellings"] = ContentHash.Of(city.Dwellings),
            ["roads"] = ContentHash.Of(city.Roads),
            ["facilities"] = ContentHash.Of(city.Facilities),
            ["trees"] = ContentHash.Of(city.Trees),
            ["statistics"] = ContentHash.Of(city.Statistics),
            ["lowIncome"] = ContentHash.Of(city.LowIncome),
        };

        Assert.Equal(s_before, now);
    }
}
