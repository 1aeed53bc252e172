using NetTopologySuite.Geometries;

namespace Tweeling.Ingestion.DemoCity.Feeds;

/// <summary>What a simulated sensor measures.</summary>
public enum SensorKind
{
    /// <summary>Nitrogen dioxide, µg/m³.</summary>
    No2,

    /// <summary>Particulate matter below 10 µm, µg/m³.</summary>
    Pm10,

    /// <summary>Particulate matter below 2.5 µm, µg/m³.</summary>
    Pm25,

    /// <summary>Motor vehicles passing a road counter per 15 minutes.</summary>
    TrafficCount,

    /// <summary>People counted in an area of the centre per 15 minutes.</summary>
    CrowdCount,

    /// <summary>Share of a car park's places in use, %.</summary>
    ParkingOccupancy,

    /// <summary>Tilt of a quay wall from its reference position, mm per m.</summary>
    QuayWallTilt,

    /// <summary>Pumping station state: 0 off, 1 running, 2 failure.</summary>
    PumpStatus,
}

/// <summary>The unit of a measured quantity, as SensorThings' unitOfMeasurement has it.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Symbol">Symbol.</param>
/// <param name="Definition">A URI defining the unit (UCUM where one exists).</param>
public sealed record MeasurementUnit(string Name, string Symbol, string Definition);

/// <summary>One simulated sensor of the demo city.</summary>
/// <param name="Key">A stable key, e.g. <c>no2-03</c>.</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Name">A human name (Dutch).</param>
/// <param name="Location">Where it stands, RD New (EPSG:28992).</param>
/// <param name="Interval">Time between readings.</param>
/// <param name="Level">The sensor's own scale: a busy road's counter sees more cars than a quiet one's (1 = typical).</param>
public sealed record SimulatedSensor(string Key, SensorKind Kind, string Name, Point Location, TimeSpan Interval, double Level)
{
    /// <summary>The unit of its readings.</summary>
    public MeasurementUnit Unit => Kind switch
    {
        SensorKind.No2 or SensorKind.Pm10 or SensorKind.Pm25 => new("microgram per kubieke meter", "µg/m3", "http://unitsofmeasure.org/ucum.html#ug/m3"),
        SensorKind.TrafficCount => new("voertuigen per kwartier", "voertuigen/15min", "http://unitsofmeasure.org/ucum.html#{count}"),
        SensorKind.CrowdCount => new("personen per kwartier", "personen/15min", "http://unitsofmeasure.org/ucum.html#{count}"),
        SensorKind.ParkingOccupancy => new("procent", "%", "http://unitsofmeasure.org/ucum.html#%25"),
        SensorKind.QuayWallTilt => new("millimeter per meter", "mm/m", "http://unitsofmeasure.org/ucum.html#mm/m"),
        _ => new("toestand (0 uit, 1 in bedrijf, 2 storing)", "toestand", "http://unitsofmeasure.org/ucum.html#1"),
    };
}
