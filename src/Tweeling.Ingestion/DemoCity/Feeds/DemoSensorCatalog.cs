using Tweeling.Domain.Catalog;
using static System.FormattableString;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>
/// The catalog entry of the demo city's simulated sensors: open, CC0 and synthetic, like the city. Each
/// demo Thing names it in the <c>dataset</c> member of its properties, which is how the access policy
/// decides who may see a Thing (see <see cref="DemoSensorProperties"/>).
/// </summary>
public static class DemoSensorCatalog
{
    /// <summary>The id of the dataset every demo sensor belongs to.</summary>
    public const string DatasetId = "demo-sensoren";

    /// <summary>The dataset of the sensors of the demo city generated with <paramref name="options"/>.</summary>
    public static Dataset Create(DemoCityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var agent = new Agent("Tweeling demostadgenerator", "urn:tweeling:demostad-generator");
        return new Dataset(
            DatasetId,
            "Demostad (synthetisch): sensoren en hun meetreeksen",
            "Gesimuleerde sensoren van de demostad (luchtkwaliteit, verkeer, passanten, parkeren, kademuren, gemalen) met hun meetreeksen, "
            + "via SensorThings API en als collectie sensoren in OGC API – Features. Alle metingen zijn verzonnen; niets beschrijft een echte plaats of persoon.",
            agent,
            agent,
            new ContactPoint("Tweeling-project", "demostad@tweeling.example"),
            [CatalogVocabulary.ThemeEnvironment, CatalogVocabulary.ThemeTransport],
            Classification.Open,
            "Niet van toepassing: synthetische gegevens zonder persoonsgegevens.",
            ["demonstratie", "testen", "benchmarks", "opleiding"],
            CatalogVocabulary.LicenseCc0,
            new DateTimeOffset(options.ReferenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            CatalogVocabulary.FrequencyIrregular,
            DemoCity.GemeenteCode,
            Invariant($"Gesimuleerd door de Tweeling-demostadgenerator (SensorPlacement, SignalModel) met seed {options.Seed} op de demostad van schaal {options.Scale}; ")
            + "de live demofeed vult de meetreeksen aan zolang de server draait.",
            IsSynthetic: true);
    }
}
