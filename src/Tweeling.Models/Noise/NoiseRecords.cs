using NetTopologySuite.Geometries;

namespace Tweeling.Models.Noise;

/// <summary>A point where the noise model computes levels: typically the point of a building's façade nearest the road.</summary>
/// <param name="Id">The receptor's id, e.g. the <c>panden</c> feature id of the building.</param>
/// <param name="Location">The façade point in RD New (EPSG:28992), metres.</param>
public sealed record NoiseReceptor(string Id, Point Location);

/// <summary>
/// The road-traffic noise at one façade receptor: the incident level (without the reflection of the façade itself,
/// as the END and the Omgevingswet assess it) per period, Lden and the share of highly annoyed residents.
/// </summary>
/// <param name="ReceptorId">The <see cref="NoiseReceptor.Id"/>.</param>
/// <param name="LdayDb">L_day, 07–19 h, dB(A).</param>
/// <param name="LeveningDb">L_evening, 19–23 h, dB(A).</param>
/// <param name="LnightDb">L_night, 23–07 h, dB(A).</param>
/// <param name="LdenDb">L_den, the day-evening-night level with +5 and +10 dB penalties, dB(A).</param>
/// <param name="HighlyAnnoyedPercent">Expected share of highly annoyed residents at this L_den (Miedema &amp; Oudshoorn 2001), %.</param>
public sealed record FacadeNoise(string ReceptorId, double LdayDb, double LeveningDb, double LnightDb, double LdenDb, double HighlyAnnoyedPercent);

/// <summary>How many receptors are above the Dutch and WHO noise norms (models.md §2.3): the headline figures of a scenario.</summary>
/// <param name="Receptors">Receptors with at least one road within the search radius (the ones in the façade output).</param>
/// <param name="AboveStandardValue">Receptors above 53 dB L_den, the Omgevingswet (Bkl) standard value for municipal roads and the WHO 2018 guideline.</param>
/// <param name="AboveLimitValue">Receptors above 70 dB L_den, the Bkl limit value for municipal roads.</param>
/// <param name="NightAboveGuideline">Receptors above 45 dB L_night, the WHO 2018 night guideline.</param>
/// <param name="MeanHighlyAnnoyedPercent">The mean share of highly annoyed over the receptors, % (0 when there are none).</param>
public sealed record NoiseExposureSummary(int Receptors, int AboveStandardValue, int AboveLimitValue, int NightAboveGuideline, double MeanHighlyAnnoyedPercent);

/// <summary>
/// How the traffic of an average working day spreads over the hours of the three assessment periods, as the share of
/// the day's vehicles per hour. The default is the typical urban profile of models.md §2.2 [M]; a municipality with
/// counts uses its own.
/// </summary>
/// <param name="DayPerHour">Share of the day's vehicles in each hour 07–19 h.</param>
/// <param name="EveningPerHour">Share in each hour 19–23 h.</param>
/// <param name="NightPerHour">Share in each hour 23–07 h.</param>
public sealed record TrafficPeriodShares(double DayPerHour, double EveningPerHour, double NightPerHour)
{
    /// <summary>The typical Dutch urban profile: 6.6 %/h by day, 3.6 %/h in the evening, 0.8 %/h at night (12·6.6 + 4·3.6 + 8·0.8 = 100 %).</summary>
    public static TrafficPeriodShares Urban { get; } = new(0.066, 0.036, 0.008);
}

/// <summary>The parameters of the road-noise model.</summary>
/// <param name="Periods">The hourly traffic shares per period.</param>
/// <param name="ReceptorHeightM">Receptor height above the ground, m: 4 m, the END assessment height.</param>
/// <param name="SourceHeightM">Source height above the road, m: 0.05 m, the CNOSSOS-EU source height.</param>
/// <param name="SearchRadiusM">Road within this 3-D distance of a receptor counts, m. The screening method is meant for up to ~100 m; further away screening by buildings (not modelled) dominates.</param>
public sealed record RoadNoiseSettings(TrafficPeriodShares Periods, double ReceptorHeightM = 4, double SourceHeightM = 0.05, double SearchRadiusM = 200)
{
    /// <summary>The defaults: urban profile, 4 m receptors, 200 m search radius.</summary>
    public static RoadNoiseSettings Default { get; } = new(TrafficPeriodShares.Urban);
}
