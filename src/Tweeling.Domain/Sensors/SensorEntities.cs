using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Tweeling.Domain.Sensors;

// The eight entities of OGC SensorThings API 1.1 (OGC 18-088 §8.2). Names follow the standard.
// Ids are assigned by the store: an entity to be created carries Id 0, which the store ignores.
// JSON values (properties, parameters, results) must own their memory: pass a JsonElement that is
// Clone()d or deserialized, never one of a JsonDocument that will be disposed.
// Geometries are in CRS84 (longitude, latitude; SRID 4326 in NTS, axis order x = longitude).

/// <summary>A SensorThings entity with the id the store assigned.</summary>
public interface ISensorEntity
{
    /// <summary>The store-assigned id (<c>@iot.id</c>); 0 on an entity that is yet to be created.</summary>
    long Id { get; }
}

/// <summary>An object of the physical or virtual world that carries sensors (a weather station, a quay wall).</summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Description">A short description.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record Thing(long Id, string Name, string Description, JsonElement? Properties = null) : ISensorEntity;

/// <summary>Where a Thing is (or was), as a geometry.</summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Description">A short description.</param>
/// <param name="EncodingType">The encoding of the standard's <c>location</c>, e.g. <c>application/geo+json</c>.</param>
/// <param name="Geometry">The standard's <c>location</c>, in CRS84.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record Location(long Id, string Name, string Description, string EncodingType, Geometry Geometry, JsonElement? Properties = null) : ISensorEntity;

/// <summary>
/// That a Thing was at some Locations from <paramref name="Time"/> on. The store creates one whenever a
/// Thing's Locations change.
/// </summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="ThingId">The Thing.</param>
/// <param name="Time">When the Thing arrived at <paramref name="LocationIds"/>.</param>
/// <param name="LocationIds">The Locations, ascending.</param>
public sealed record HistoricalLocation(long Id, long ThingId, DateTimeOffset Time, IReadOnlyList<long> LocationIds) : ISensorEntity;

/// <summary>The unit of a Datastream's results, e.g. <c>{ "µg/m³", "µg/m3", "http://qudt.org/vocab/unit/MicroGM-PER-M3" }</c>.</summary>
/// <param name="Name">The full name of the unit.</param>
/// <param name="Symbol">Its textual symbol.</param>
/// <param name="Definition">A URI that defines it.</param>
public sealed record UnitOfMeasurement(string Name, string Symbol, string Definition);

/// <summary>A series of Observations of one ObservedProperty by one Sensor on one Thing.</summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Description">A short description.</param>
/// <param name="UnitOfMeasurement">The unit of every result.</param>
/// <param name="ObservationType">The O&amp;M observation type URI, e.g. <c>…/OM_Measurement</c>.</param>
/// <param name="ThingId">The Thing (exactly one).</param>
/// <param name="SensorId">The Sensor (exactly one).</param>
/// <param name="ObservedPropertyId">The ObservedProperty (exactly one).</param>
/// <param name="ObservedArea">The spatial extent of its Observations' features in CRS84, or <c>null</c>.</param>
/// <param name="PhenomenonTime">The interval spanned by its Observations' phenomenon times, or <c>null</c>.</param>
/// <param name="ResultTime">The interval spanned by its Observations' result times, or <c>null</c>.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record Datastream(
    long Id,
    string Name,
    string Description,
    UnitOfMeasurement UnitOfMeasurement,
    string ObservationType,
    long ThingId,
    long SensorId,
    long ObservedPropertyId,
    Geometry? ObservedArea = null,
    SensorTime? PhenomenonTime = null,
    SensorTime? ResultTime = null,
    JsonElement? Properties = null) : ISensorEntity;

/// <summary>An instrument that observes a property.</summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Description">A short description.</param>
/// <param name="EncodingType">The encoding of <paramref name="Metadata"/>, e.g. <c>application/pdf</c> or <c>http://www.opengis.net/doc/IS/SensorML/2.0</c>.</param>
/// <param name="Metadata">The description of the sensor in that encoding, or a link to it.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record Sensor(long Id, string Name, string Description, string EncodingType, string Metadata, JsonElement? Properties = null) : ISensorEntity;

/// <summary>The phenomenon an Observation observes (NO2 concentration, tilt, occupancy).</summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Definition">A URI that defines it.</param>
/// <param name="Description">A short description.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record ObservedProperty(long Id, string Name, string Definition, string Description, JsonElement? Properties = null) : ISensorEntity;

/// <summary>The feature an Observation is about: the place sampled, or the Thing's Location.</summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Description">A short description.</param>
/// <param name="EncodingType">The encoding of the standard's <c>feature</c>, e.g. <c>application/geo+json</c>.</param>
/// <param name="Feature">The feature's geometry, in CRS84.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record FeatureOfInterest(long Id, string Name, string Description, string EncodingType, Geometry Feature, JsonElement? Properties = null) : ISensorEntity;

/// <summary>
/// One observed value. Numeric results, the hot path, are in <see cref="Result"/>; any other result
/// (text, boolean, object, array) is in <see cref="ResultJson"/>. At most one of the two is set; neither
/// means a JSON <c>null</c> result.
/// </summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="DatastreamId">The Datastream (exactly one).</param>
/// <param name="FeatureOfInterestId">The FeatureOfInterest, or <c>null</c> until the write path has resolved it.</param>
/// <param name="PhenomenonTime">When the observed phenomenon occurred: an instant or an interval.</param>
/// <param name="ResultTime">When the result was produced, or <c>null</c>.</param>
/// <param name="Result">The result when it is a number, in the Datastream's unit.</param>
/// <param name="ResultJson">The result when it is not a number.</param>
/// <param name="ResultQuality">The quality of the result (any JSON), or <c>null</c>.</param>
/// <param name="ValidTime">When the result may be used, or <c>null</c>.</param>
/// <param name="Parameters">A JSON object of the environmental conditions, or <c>null</c>.</param>
public sealed record Observation(
    long Id,
    long DatastreamId,
    long? FeatureOfInterestId,
    SensorTime PhenomenonTime,
    DateTimeOffset? ResultTime,
    double? Result,
    JsonElement? ResultJson = null,
    JsonElement? ResultQuality = null,
    SensorTime? ValidTime = null,
    JsonElement? Parameters = null) : ISensorEntity;

/// <summary>An Observation to append; the store assigns its id. See <see cref="Observation"/> for the fields.</summary>
/// <param name="DatastreamId">The Datastream, which must exist.</param>
/// <param name="PhenomenonTime">When the observed phenomenon occurred.</param>
/// <param name="Result">The result when it is a number.</param>
/// <param name="ResultJson">The result when it is not a number.</param>
/// <param name="ResultTime">When the result was produced, or <c>null</c>.</param>
/// <param name="FeatureOfInterestId">The FeatureOfInterest, which must exist, or <c>null</c>.</param>
/// <param name="ResultQuality">The quality of the result, or <c>null</c>.</param>
/// <param name="ValidTime">When the result may be used, or <c>null</c>.</param>
/// <param name="Parameters">A JSON object of the environmental conditions, or <c>null</c>.</param>
public sealed record NewObservation(
    long DatastreamId,
    SensorTime PhenomenonTime,
    double? Result,
    JsonElement? ResultJson = null,
    DateTimeOffset? ResultTime = null,
    long? FeatureOfInterestId = null,
    JsonElement? ResultQuality = null,
    SensorTime? ValidTime = null,
    JsonElement? Parameters = null);
