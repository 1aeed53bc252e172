using NetTopologySuite;
using Tweeling.Domain.Geo;
using Tweeling.TestSupport;

namespace Tweeling.Ingestion.Tests.Importers;

/// <summary>Shared inputs for importer tests: a CRS transformer, a fixed clock and the fixture folder.</summary>
internal static class ImportTestKit
{
    public static NtsGeometryServices GeometryServices { get; } = new();

    public static CrsTransformer Crs { get; } = new(GeometryServices);

    /// <summary>A fixed "now" so that validity and dataset times never depend on the clock.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Skips the test when the real data is absent (SkipWhen rejects a null reason even when it does not skip).</summary>
    public static void RequireRealData() =>
        Assert.SkipWhen(RealData.Directory is null, RealData.SkipReason ?? string.Empty);

    public static string TestData(string relativePath) => Path.Combine(AppContext.BaseDirectory, "TestData", relativePath);
}
