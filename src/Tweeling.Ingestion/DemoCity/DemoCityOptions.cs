namespace Tweeling.Ingestion.DemoCity;

/// <summary>What demo city to generate. The same options always give the same city, byte for byte.</summary>
/// <param name="Scale">
/// Size factor, 1 to <see cref="MaxScale"/>: scale 1 has Dordrecht's size (about 120,000 inhabitants,
/// 57,000 dwellings); scale N has N times the buildings, dwellings, inhabitants and road links on N times
/// the area, so scale 10 is a city the size of Rotterdam.
/// </param>
/// <param name="Seed">Seed of the pseudo-random choices; another seed gives another, equally plausible city.</param>
/// <param name="ReferenceDate">
/// The date the city describes (peildatum): every feature is valid from it and every indicator value
/// refers to it. Callers pass it explicitly (e.g. 2024-01-01) so generation never depends on the clock;
/// it must lie in or after <see cref="EarliestReferenceYear"/> because the youngest buildings are from 2015.
/// </param>
public sealed record DemoCityOptions(int Scale = 1, int Seed = 1, DateOnly ReferenceDate = default)
{
    /// <summary>The largest scale factor (a province-sized city).</summary>
    public const int MaxScale = 1000;

    /// <summary>The earliest year a reference date may lie in.</summary>
    public const int EarliestReferenceYear = 2016;

    /// <summary>Throws when the options describe no city the generator can make.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Scale is outside 1..<see cref="MaxScale"/>, or the reference date is missing or before <see cref="EarliestReferenceYear"/>.</exception>
    public void Validate()
    {
        if (Scale is < 1 or > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, $"The demo city scale must lie between 1 and {MaxScale}.");
        }

        if (ReferenceDate.Year < EarliestReferenceYear)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ReferenceDate),
                ReferenceDate,
                $"The demo city needs an explicit reference date in or after {EarliestReferenceYear} (e.g. 2024-01-01).");
        }
    }
}
