using NetTopologySuite.Geometries;

namespace Tweeling.Models.City;

/// <summary>
/// One facility as the models see it: a feature of the <c>voorzieningen</c> collection (the demo city's
/// kinds are <c>huisarts</c>, <c>apotheek</c>, <c>basisschool</c>, <c>kinderopvang</c>, <c>verpleeghuis</c>,
/// <c>supermarkt</c>, <c>sport</c>, <c>park</c> and <c>speeltuin</c>).
/// </summary>
/// <param name="Id">The <c>voorzieningen</c> feature id.</param>
/// <param name="Kind">The facility kind (<c>type</c>, e.g. <c>huisarts</c>).</param>
/// <param name="Location">The visiting address in RD New (EPSG:28992), metres.</param>
/// <param name="Capacity">The capacity (<c>capaciteit</c>) in <paramref name="CapacityUnit"/>.</param>
/// <param name="CapacityUnit">The unit of the capacity (<c>capaciteitseenheid</c>, e.g. <c>fte</c>, <c>leerlingplaatsen</c>, <c>bedden</c>).</param>
public sealed record Facility(string Id, string Kind, Point Location, double Capacity, string CapacityUnit);
