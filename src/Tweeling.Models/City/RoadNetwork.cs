using NetTopologySuite.Geometries;

namespace Tweeling.Models.City;

/// <summary>The functional road class of the Dutch Duurzaam Veilig classification (the <c>wegklasse</c> of <c>wegvakken</c>).</summary>
public enum RoadClass
{
    /// <summary>Through road (stroomweg): motorways and regional through roads.</summary>
    Stroomweg,

    /// <summary>Distributor road (gebiedsontsluitingsweg), typically 50 km/h in town.</summary>
    Gebiedsontsluitingsweg,

    /// <summary>Access road (erftoegangsweg), typically 30 km/h in town.</summary>
    Erftoegangsweg,

    /// <summary>Cycle path: no motor traffic.</summary>
    Fietspad,
}

/// <summary>One link of the road network as the impact models see it.</summary>
/// <param name="Id">The <c>wegvakken</c> feature id.</param>
/// <param name="Geometry">The centre line in RD New (EPSG:28992), metres; its first and last points are the link's nodes.</param>
/// <param name="Class">The functional road class.</param>
/// <param name="SpeedLimitKmh">The posted speed limit in km/h, or <c>null</c> for a cycle path.</param>
/// <param name="OneWay">Whether motor traffic may only drive from the first to the last point.</param>
public sealed record RoadLink(string Id, LineString Geometry, RoadClass Class, double? SpeedLimitKmh, bool OneWay);

/// <summary>
/// The traffic on one link as an average working day: what trip assignment produces and what the air
/// quality (SRM1) and noise (CNOSSOS-EU) models read. Shares are of <see cref="VehiclesPerDay"/>; the
/// rest is light traffic (cars and vans).
/// </summary>
/// <param name="LinkId">The <see cref="RoadLink.Id"/>.</param>
/// <param name="VehiclesPerDay">Motor vehicles per average working day, both directions (vehicles/24h).</param>
/// <param name="MediumShare">Share of medium-heavy vehicles (SRM1 "middelzwaar", CNOSSOS category 2), 0–1.</param>
/// <param name="HeavyShare">Share of heavy vehicles (SRM1 "zwaar", CNOSSOS category 3), 0–1.</param>
/// <param name="BusShare">Share of buses, 0–1.</param>
/// <param name="CongestionShare">Share of the traffic that drives in congestion (SRM1 stagnation fraction f_s), 0–1.</param>
/// <param name="MeanSpeedKmh">Mean driven speed in km/h after congestion.</param>
public sealed record LinkTraffic(
    string LinkId,
    double VehiclesPerDay,
    double MediumShare,
    double HeavyShare,
    double BusShare,
    double CongestionShare,
    double MeanSpeedKmh);
