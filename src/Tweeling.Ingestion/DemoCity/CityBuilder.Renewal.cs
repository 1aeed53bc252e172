using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Urban renewal after the reference date, so the twin has a history to travel through: some post-war flats are
/// demolished a few months after the reference date and replaced on the same plot by a new, taller block with a new
/// BAG pand id (a new building gets a new id). The city as of the reference date is untouched — every indicator refers
/// to it — and the same dwellings return, so the city as of a year later has the same dwellings again.
/// </summary>
internal sealed partial class CityBuilder
{
    /// <summary>Chance that a post-war flat is in the renewal programme; a few dozen at scale 1.</summary>
    private const double RenewalShare = 0.1;

    /// <summary>Months from demolition to the new block's completion.</summary>
    private const int MonthsOfConstruction = 6;

    private void RenewBuildings(Random random)
    {
        var reference = _validity.From;
        var serial = _panden.Count;
        var renewed = new List<Feature>();
        for (var k = 0; k < _panden.Count; k++)
        {
            var pand = _panden[k];
            if (pand.Properties["woningtype"] as string != DwellingTypes.Names[DwellingTypes.Appartement] ||
                pand.Properties["bouwjaar"] is not long built || built is < 1950 or > 1975 ||
                random.NextDouble() >= RenewalShare)
            {
                continue;
            }

            // Demolished 2 to 5 months after the reference date, rebuilt within the year: the map changes twice in the first year.
            var demolished = reference.AddMonths(random.Next(2, 6));
            var completed = demolished.AddMonths(MonthsOfConstruction);
            _panden[k] = pand with { Validity = new ValidityInterval(reference, demolished) };
            var storeys = (long)pand.Properties["bouwlagen"]! + 1;
            var properties = new Dictionary<string, object?>(pand.Properties)
            {
                ["bouwjaar"] = (long)completed.Year,
                ["bouwlagen"] = storeys,
                ["hoogte"] = Round1((double)pand.Properties["hoogte"]! + 3.0),
            };
            renewed.Add(new Feature(TwinCollections.Panden, PandId(++serial), pand.Geometry, properties, new ValidityInterval(completed), DemoCatalog.DatasetId));
        }

        _panden.AddRange(renewed);
    }
}
