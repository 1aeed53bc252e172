using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Ingestion.DemoCity;
using City = Tweeling.Ingestion.DemoCity.DemoCity;

namespace Tweeling.Ingestion.Tests.DemoCity;

/// <summary>Generates the scale-1 demo city once for all demo city tests (the classes share it through <see cref="DemoCityCollection"/>).</summary>
public sealed class DemoCityFixture
{
    public static readonly DateOnly ReferenceDate = new(2024, 1, 1);

    public DemoCityFixture() => City = DemoCityGenerator.Generate(Options, Services);

    public static NtsGeometryServices Services { get; } = new(new PrecisionModel(), 28992);

    public static DemoCityOptions Options { get; } = new(Scale: 1, Seed: 1, ReferenceDate: ReferenceDate);

    public City City { get; }
}

/// <summary>The demo city test classes, which share one generated city.</summary>
[CollectionDefinition(Name)]
public sealed class DemoCityCollection : ICollectionFixture<DemoCityFixture>
{
    public const string Name = "Demo city";
}
