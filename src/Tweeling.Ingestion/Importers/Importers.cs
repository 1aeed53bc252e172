namespace Tweeling.Ingestion.Importers;

/// <summary>The importers the command line offers, by kind.</summary>
public static class Importers
{
    /// <summary>Every importer, in the order <c>tweeling import --help</c> lists them.</summary>
    public static IReadOnlyList<IImporter> All { get; } =
    [
        new CbsGebiedenImporter(),
        new CbsKerncijfersImporter(),
        new CsvIndicatorImporter(),
        new CityJsonImporter(),
        new OsmGeoJsonImporter(),
    ];

    /// <summary>The importer for <paramref name="kind"/> (case-insensitive), or <c>null</c> for an unknown kind.</summary>
    public static IImporter? Find(string kind) =>
        All.FirstOrDefault(i => string.Equals(i.Kind, kind, StringComparison.OrdinalIgnoreCase));
}
