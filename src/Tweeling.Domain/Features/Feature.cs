using NetTopologySuite.Geometries;

namespace Tweeling.Domain.Features;

/// <summary>
/// One version of a geographic object of the twin: a building, a road link, a buurt, …
/// </summary>
/// <param name="Collection">The collection id, one of <see cref="TwinCollections"/> (e.g. <c>panden</c>).</param>
/// <param name="Id">The object's id, stable across versions (e.g. a BAG pand id or a CBS area code).</param>
/// <param name="Geometry">The geometry in the storage CRS, RD New (EPSG:28992), metres.</param>
/// <param name="Properties">Attribute values: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or <c>null</c>.</param>
/// <param name="Validity">When this version is the valid one, as BAG's begin and end geldigheid.</param>
/// <param name="DatasetId">The catalog dataset this version came from (its lineage).</param>
public sealed record Feature(
    string Collection,
    string Id,
    Geometry Geometry,
    IReadOnlyDictionary<string, object?> Properties,
    ValidityInterval Validity,
    string DatasetId);
