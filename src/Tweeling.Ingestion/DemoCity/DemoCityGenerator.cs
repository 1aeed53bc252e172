using NetTopologySuite;
using Tweeling.Domain.Geo;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Generates "Demostad (synthetisch)": a plausible city with Dordrecht's scale and structure (old centre by
/// the river, post-war neighbourhoods, suburbs, industrial estates, polder), deterministic for given options.
/// </summary>
public static class DemoCityGenerator
{
    /// <summary>Generates the city described by <paramref name="options"/>; the same options always give the same content.</summary>
    /// <param name="options">Scale, seed and reference date; validated first.</param>
    /// <param name="geometryServices">Supplies the RD New (EPSG:28992) geometry factory all geometries are made with.</param>
    /// <param name="progress">Receives the stage and overall fraction as generation proceeds.</param>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid (see <see cref="DemoCityOptions.Validate"/>).</exception>
    public static DemoCity Generate(DemoCityOptions options, NtsGeometryServices geometryServices, IProgress<DemoProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(geometryServices);
        options.Validate();
        var builder = new CityBuilder(options, geometryServices.CreateGeometryFactory(Crs.RdNewSrid), progress);
        builder.Build();
        builder.Report("indicatoren", 0.95);
        var values = DemoIndicators.Values(builder.Layout, new Random(unchecked((options.Seed * 1_000_003) + 99)), options.ReferenceDate);
        // The register draws from its own stream, so adding it left the rest of the city unchanged.
        var register = DemoRegister.Values(builder.Layout, values, new Random(unchecked((options.Seed * 1_000_003) + 131)), options.ReferenceDate);
        var city = new DemoCity(
            [DemoCatalog.Create(options), .. DemoRegister.Datasets(options)],
            builder.CollectFeatures(),
            [.. DemoIndicators.Definitions(), .. DemoRegister.Definitions()],
            [.. values, .. register]);
        builder.Report("klaar", 1);
        return city;
    }
}
