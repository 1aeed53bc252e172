using NetTopologySuite.Geometries;

namespace Tweeling.Models.City;

/// <summary>
/// The inhabitants of one buurt by age group: what the population model writes and what demand models
/// (facilities, care) read. The bands are the ones the facility norms need (childcare 0–3, primary school
/// 4–11, intramural elderly care 75+; see <c>shared/reference/models.md</c> §5), finer than the CBS
/// "Kerncijfers wijken en buurten" bands, which a population model splits by single-year ages.
/// </summary>
/// <param name="Buurtcode">The CBS buurt code (e.g. <c>BU05050101</c>).</param>
/// <param name="Centre">Where the buurt's inhabitants live on average (RD New, metres): the centroid of its dwellings, weighted by residents.</param>
/// <param name="Aged0To3">Inhabitants aged 0 to 3 (inclusive).</param>
/// <param name="Aged4To11">Inhabitants aged 4 to 11.</param>
/// <param name="Aged12To17">Inhabitants aged 12 to 17.</param>
/// <param name="Aged18To64">Inhabitants aged 18 to 64.</param>
/// <param name="Aged65To74">Inhabitants aged 65 to 74.</param>
/// <param name="Aged75Plus">Inhabitants aged 75 and over.</param>
public sealed record BuurtPopulation(
    string Buurtcode,
    Point Centre,
    double Aged0To3,
    double Aged4To11,
    double Aged12To17,
    double Aged18To64,
    double Aged65To74,
    double Aged75Plus)
{
    /// <summary>All inhabitants.</summary>
    public double Total => Aged0To3 + Aged4To11 + Aged12To17 + Aged18To64 + Aged65To74 + Aged75Plus;
}
