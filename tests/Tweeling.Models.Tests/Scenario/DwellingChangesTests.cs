using Tweeling.Domain.Scenarios;
using Tweeling.Models.City;
using Tweeling.Models.Scenario;
using Tweeling.Models.Tests.Support;

namespace Tweeling.Models.Tests.Scenario;

/// <summary>
/// Guards for <see cref="DwellingChanges"/> and <see cref="DwellingWeights"/>: on random edits of a dwelling list (entries
/// left out, replaced, added at the end or in the middle) the changed buurten hold exactly the list's entries there, every
/// other buurt's entries are the baseline's, the per-buurt values taken from them are those of the whole list, and the
/// weights answer every id as a dictionary of the whole list does.
/// </summary>
public sealed class DwellingChangesTests
{
    [Fact]
    public void Random_edits_mark_every_buurt_whose_entries_differ_and_the_weights_equal_a_dictionary_of_the_list()
    {
        var random = new Random(11);
        var baseline = Enumerable.Range(0, 2_000).Select(i => Stock($"P{i}", $"BU{random.Next(40):D2}", 1 + random.Next(30))).ToList();
        for (var edit = 0; edit < 200; edit++)
        {
            var dwellings = Edit(baseline, random, edit);
            var changes = DwellingChanges.Between(baseline, dwellings);

            foreach (var code in baseline.Concat(dwellings).Select(d => d.Buurtcode).Distinct())
            {
                var now = dwellings.Where(d => d.Buurtcode == code).ToList();
                var then = baseline.Where(d => d.Buurtcode == code).ToList();
                if (changes.Changed.TryGetValue(code, out var entries))
                {
                    Assert.Equal(now, entries);
                }
                else
                {
                    Assert.True(now.Count == then.Count && now.Zip(then).All(p => ReferenceEquals(p.First, p.Second)), $"edit {edit}: buurt {code} differs but is not marked changed.");
                }
            }

            var weights = DwellingWeights.Of(dwellings, baseline);
            var expected = dwellings.ToDictionary(d => d.BuildingId, d => (d.Buurtcode, d.Count), StringComparer.Ordinal);
            Assert.Equal(expected.Count, weights.Count);
            foreach (var id in baseline.Concat(dwellings).Select(d => d.BuildingId).Append("P-none"))
            {
                Assert.Equal(expected.TryGetValue(id, out var w), weights.TryGetValue(id, out var got));
                Assert.Equal(w, got);
            }

            // By position, walking the list in its order and in reverse (where position never answers).
            var cursor = 0;
            Assert.All(dwellings, d => Assert.True(weights.Find(d.BuildingId, ref cursor, out var found) && found == expected[d.BuildingId]));
            Assert.Equal(dwellings.Count, cursor);
            cursor = 0;
            Assert.All(Enumerable.Reverse(dwellings), d => Assert.True(weights.Find(d.BuildingId, ref cursor, out var found) && found == expected[d.BuildingId]));
        }
    }

    [Fact]
    public void Per_buurt_values_from_the_baseline_and_the_changed_buurten_are_bit_for_bit_those_of_the_whole_list()
    {
        var random = new Random(12);
        // Weights with many digits, so a sum that took its terms in another order would differ in the last bits.
        var baseline = Enumerable.Range(0, 2_000).Select(i => Stock($"P{i}", $"BU{random.Next(40):D2}", 1 + random.Next(30))).ToList();
        var factor = baseline.ToDictionary(d => d.BuildingId, _ => random.NextDouble() * 1e3, StringComparer.Ordinal);
        Dictionary<string, double> Sums(IReadOnlyList<DwellingStock> stock)
        {
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var d in stock)
            {
                sums[d.Buurtcode] = sums.GetValueOrDefault(d.Buurtcode) + (d.Count * factor.GetValueOrDefault(d.BuildingId, Math.PI));
            }

            return sums;
        }

        var baselineSums = Sums(baseline);
        Assert.Same(baselineSums, DwellingChanges.PerBuurt(baseline, baseline, baselineSums, Sums));
        for (var edit = 0; edit < 100; edit++)
        {
            var dwellings = Edit(baseline, random, edit);
            // Now and then every dwelling of a buurt goes: the buurt then has no value.
            if (edit % 7 == 0)
            {
                var gone = $"BU{random.Next(40):D2}";
                dwellings.RemoveAll(d => d.Buurtcode == gone);
            }

            var expected = Sums(dwellings);
            var got = DwellingChanges.PerBuurt(dwellings, baseline, baselineSums, Sums);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), got.Keys.Order(StringComparer.Ordinal));
            Assert.All(expected, e => Assert.Equal(BitConverter.DoubleToInt64Bits(e.Value), BitConverter.DoubleToInt64Bits(got[e.Key])));
        }
    }

    [Fact]
    public void The_same_list_changes_nothing_and_a_repeated_id_throws_as_a_dictionary_of_the_list_does()
    {
        var baseline = Enumerable.Range(0, 50).Select(i => Stock($"P{i}", $"BU{i % 5}", 3)).ToList();

        Assert.Empty(DwellingChanges.Between(baseline, baseline).Changed);
        Assert.Empty(DwellingChanges.Between(baseline, [.. baseline]).Changed);
        Assert.Throws<ArgumentException>(() => DwellingWeights.Of([.. baseline, Stock("P7", "BU3", 1)], baseline));
        Assert.Throws<ArgumentException>(() => DwellingWeights.Of([.. baseline, Stock("N1", "BU3", 1), Stock("N1", "BU4", 1)], baseline));
    }

    // Leaves out some entries, replaces some by equal copies (other instances), and adds new ones at the end, or once in
    // ten edits in the middle.
    private static List<DwellingStock> Edit(List<DwellingStock> baseline, Random random, int edit)
    {
        var edited = new List<DwellingStock>(baseline.Count + 10);
        foreach (var d in baseline)
        {
            var roll = random.NextDouble();
            if (roll < 0.002)
            {
                continue;
            }

            edited.Add(roll < 0.003 ? d with { } : d);
        }

        var added = Enumerable.Range(0, random.Next(5)).Select(k => Stock($"scenario:{edit}:{k}", $"BU{random.Next(45):D2}", 1 + random.Next(40))).ToList();
        if (edit % 10 == 0 && added.Count > 0)
        {
            edited.InsertRange(random.Next(edited.Count), added);
        }
        else
        {
            edited.AddRange(added);
        }

        return edited;
    }

    private static DwellingStock Stock(string id, string buurt, int count) =>
        new(id, buurt, Geo.Point(105_000, 425_000), count, DwellingType.Tussenwoning, Tenure.Koop);
}
