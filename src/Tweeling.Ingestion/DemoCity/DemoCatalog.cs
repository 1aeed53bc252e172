using Tweeling.Domain.Catalog;
using static System.FormattableString;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>The catalog entry of the demo city: open, CC0, and unmistakably marked as synthetic.</summary>
internal static class DemoCatalog
{
    /// <summary>The id of the one dataset all demo features and indicators belong to.</summary>
    public const string DatasetId = "demostad-basis";

    /// <summary>The demo municipality's name; "synthetisch" is part of it so no map or table can pass it off as real.</summary>
    public const string GemeenteNaam = "Demostad (synthetisch)";

    public static Dataset Create(DemoCityOptions options)
    {
        var agent = new Agent("Tweeling demostadgenerator", "urn:tweeling:demostad-generator");
        return new Dataset(
            DatasetId,
            "Demostad (synthetisch): gebieden, panden, wegen, voorzieningen, groen, beheerobjecten en buurtcijfers",
            "Synthetische stad met de schaal en opbouw van Dordrecht, gegenereerd door Tweeling voor demonstratie, "
            + "tests en benchmarks. Alle objecten en cijfers zijn verzonnen; niets beschrijft een echte plaats of persoon.",
            agent,
            agent,
            new ContactPoint("Tweeling-project", "demostad@tweeling.example"),
            [CatalogVocabulary.ThemeRegions, CatalogVocabulary.ThemeSociety, CatalogVocabulary.ThemeEnvironment, CatalogVocabulary.ThemeTransport],
            Classification.Open,
            "Niet van toepassing: synthetische gegevens zonder persoonsgegevens.",
            ["demonstratie", "testen", "benchmarks", "opleiding"],
            CatalogVocabulary.LicenseCc0,
            new DateTimeOffset(options.ReferenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            CatalogVocabulary.FrequencyNever,
            DemoCity.GemeenteCode,
            Invariant($"Synthetisch gegenereerd door de Tweeling-demostadgenerator (DemoCityGenerator) met seed {options.Seed}, schaal {options.Scale} en peildatum {options.ReferenceDate:yyyy-MM-dd}; ")
            + "dezelfde instellingen geven dezelfde stad. Indicatoren zijn afgeleid van de gegenereerde panden met gedocumenteerde bezettingsgraden.",
            IsSynthetic: true);
    }
}
