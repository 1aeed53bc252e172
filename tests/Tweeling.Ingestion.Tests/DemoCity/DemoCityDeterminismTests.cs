using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tweeling.Domain.Features;
using Tweeling.Ingestion.DemoCity;
using City = Tweeling.Ingestion.DemoCity.DemoCity;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>Same options give the same city byte for byte; another seed or scale gives another city.</summary>
[Collection(DemoCityCollection.Name)]
public sealed class DemoCityDeterminismTests(DemoCityFixture fixture)
{
    [Fact]
    public void Same_options_give_identical_content_and_progress_and_another_seed_another_city()
    {
        var reports = new List<DemoProgress>();
        var again = DemoCityGenerator.Generate(DemoCityFixture.Options, DemoCityFixture.Services, new Recorder(reports));
        var otherSeed = DemoCityGenerator.Generate(DemoCityFixture.Options with { Seed = 2 }, DemoCityFixture.Services);

        Assert.Equal(Hash(fixture.City), Hash(again));
        Assert.NotEqual(Hash(fixture.City), Hash(otherSeed));
        Assert.NotEqual(
            fixture.City.Features.First(f => f.Collection == TwinCollections.Buurten).Geometry.AsText(),
            otherSeed.Features.First(f => f.Collection == TwinCollections.Buurten).Geometry.AsText());
        Assert.InRange(otherSeed.GemeenteValue("inwoners")!.Value, 110_000, 130_000);

        Assert.True(reports.Count > 5);
        Assert.Equal(1, reports[^1].Fraction);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Fraction <= p.Second.Fraction), "progress went backwards");
    }

    [Fact]
    public void Scale_two_doubles_the_city()
    {
        var city = DemoCityGenerator.Generate(DemoCityFixture.Options with { Scale = 2 }, DemoCityFixture.Services);
        var counts = city.CountByCollection();
        var baseCounts = fixture.City.CountByCollection();
        Assert.InRange(counts[TwinCollections.Panden] / (double)baseCounts[TwinCollections.Panden], 1.8, 2.2);
        Assert.InRange(counts[TwinCollections.Wegvakken] / (double)baseCounts[TwinCollections.Wegvakken], 1.8, 2.2);
        Assert.InRange(city.GemeenteValue("woningen")!.Value / fixture.City.GemeenteValue("woningen")!.Value, 1.9, 2.1);
        Assert.InRange(city.GemeenteValue("inwoners")!.Value / fixture.City.GemeenteValue("inwoners")!.Value, 1.9, 2.1);
        Assert.True(counts[TwinCollections.Buurten] > baseCounts[TwinCollections.Buurten]);
        Assert.Contains("schaal 2", city.Datasets[0].Lineage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Rejects_a_scale_out_of_range(int scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCityGenerator.Generate(DemoCityFixture.Options with { Scale = scale }, DemoCityFixture.Services));

    [Fact]
    public void Rejects_a_missing_reference_date() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCityGenerator.Generate(new DemoCityOptions(), DemoCityFixture.Services));

    /// <summary>SHA-256 over a canonical text form: collection, id, WKT, sorted properties, validity, dataset; then indicators.</summary>
    private static string Hash(City city)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(string text) => sha.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var dataset in city.Datasets)
        {
            Append(dataset.Id + "|" + dataset.Title + "|" + dataset.Lineage);
        }

        foreach (var f in city.Features)
        {
            var properties = string.Join(";", f.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
            Append(string.Join("|", f.Collection, f.Id, f.Geometry.AsText(), properties, f.Validity.From.ToString("O", CultureInfo.InvariantCulture), f.DatasetId));
        }

        foreach (var v in city.IndicatorValues)
        {
            Append(string.Join("|", v.IndicatorCode, v.AreaCode, v.ReferenceDate.ToString("O", CultureInfo.InvariantCulture), v.Value?.ToString("R", CultureInfo.InvariantCulture)));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private sealed class Recorder(List<DemoProgress> reports) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => reports.Add(value);
    }
}
