using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.Tests.DemoCity;

[Collection(DemoCityCollection.Name)]
public sealed class DemoCityStatsProbe(DemoCityFixture fixture)
{
    [Fact]
    public void Print()
    {
        File.WriteAllText("/tmp/stats.txt", string.Empty);
        PrintCore();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var last = "";
        var t0 = 0.0;
        var progress = new SyncProgress(p =>
        {
            if (p.Stage != last)
            {
                Log($"{last} {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - t0:F0} ms");
                last = p.Stage;
                t0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            }
        });
        Tweeling.Ingestion.DemoCity.DemoCityGenerator.Generate(DemoCityFixture.Options, DemoCityFixture.Services, progress);
        Log($"total {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0}");
    }

    private sealed class SyncProgress(Action<Tweeling.Ingestion.DemoCity.DemoProgress> action) : IProgress<Tweeling.Ingestion.DemoCity.DemoProgress>
    {
        public void Report(Tweeling.Ingestion.DemoCity.DemoProgress value) => action(value);
    }

    private void Log(string line) => File.AppendAllText("/tmp/stats.txt", line + "\n");

    private void PrintCore()
    {
        var c = fixture.City;
        Log($"time {fixture.GenerationTime.TotalMilliseconds} ms");
        foreach (var (k, v) in c.CountByCollection())
        {
            Log($"{k} {v}");
        }

        foreach (var code in new[] { "woningen", "inwoners", "huishoudens", "leeftijd_0_15", "leeftijd_65_plus", "huishoudens_laag_inkomen_pct", "woningen_appartement_pct", "woningen_sociale_huur_pct" })
        {
            Log($"{code} {c.GemeenteValue(code)}");
        }

        var panden = c.Features.Where(f => f.Collection == TwinCollections.Panden).ToList();
        foreach (var g in panden.GroupBy(p => (string)p.Properties["buurtcode"]!).GroupBy(g => g.Key[..8]))
        {
            Log($"{g.Key}: panden {g.Sum(x => x.Count())} won {g.Sum(x => x.Sum(p => (long)p.Properties["woningen"]!))} jaar {g.SelectMany(x => x).Average(p => (long)p.Properties["bouwjaar"]!):F0} h {g.SelectMany(x => x).Average(p => (double)p.Properties["hoogte"]!):F1}");
        }

        foreach (var g in c.Features.Where(f => f.Collection == TwinCollections.Voorzieningen).GroupBy(f => (string)f.Properties["type"]!))
        {
            Log($"{g.Key} {g.Count()} cap {g.Sum(f => (double)f.Properties["capaciteit"]!)}");
        }

        foreach (var g in c.Features.Where(f => f.Collection is TwinCollections.Beheerobjecten or TwinCollections.Wegvakken or TwinCollections.Groenvlakken).GroupBy(f => f.Collection + ":" + (string)(f.Properties.GetValueOrDefault("type") ?? f.Properties.GetValueOrDefault("wegklasse") ?? f.Properties["bodemgebruik"])!))
        {
            Log($"{g.Key} {g.Count()}");
        }
    }
}
