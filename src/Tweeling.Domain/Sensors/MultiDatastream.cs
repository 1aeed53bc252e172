using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Tweeling.Domain.Sensors;

// The MultiDatastream extension of SensorThings API 1.1 (OGC 18-088 §14.2 in the 1.0 numbering, conformance class
// http://www.opengis.net/spec/iot_sensing/1.1/req/multi-datastream): a series whose every Observation carries one
// result per ObservedProperty, as a JSON array in the order of the MultiDatastream's ObservedProperties.

/// <summary>
/// A series of complex Observations of several ObservedProperties by one Sensor on one Thing (a weather station's
/// temperature, humidity and wind in one record). Component <c>i</c> of every result is of
/// <see cref="ObservedPropertyIds"/>[i], in <see cref="UnitOfMeasurements"/>[i], of type <see cref="MultiObservationDataTypes"/>[i].
/// </summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="Name">A label.</param>
/// <param name="Description">A short description.</param>
/// <param name="UnitOfMeasurements">The unit of each result component, in order.</param>
/// <param name="ObservationType">Always <see cref="ComplexObservationType"/> (the standard allows no other).</param>
/// <param name="MultiObservationDataTypes">The O&amp;M observation type URI of each component, e.g. <c>…/OM_Measurement</c>.</param>
/// <param name="ThingId">The Thing (exactly one).</param>
/// <param name="SensorId">The Sensor (exactly one).</param>
/// <param name="ObservedPropertyIds">The ObservedProperties (one or more), in the order of the result components.</param>
/// <param name="ObservedArea">The spatial extent of its Observations' features in CRS84, or <c>null</c>.</param>
/// <param name="PhenomenonTime">The interval spanned by its Observations' phenomenon times, or <c>null</c>.</param>
/// <param name="ResultTime">The interval spanned by its Observations' result times, or <c>null</c>.</param>
/// <param name="Properties">A JSON object of further annotations, or <c>null</c>.</param>
public sealed record MultiDatastream(
    long Id,
    string Name,
    string Description,
    IReadOnlyList<UnitOfMeasurement> UnitOfMeasurements,
    string ObservationType,
    IReadOnlyList<string> MultiObservationDataTypes,
    long ThingId,
    long SensorId,
    IReadOnlyList<long> ObservedPropertyIds,
    Geometry? ObservedArea = null,
    SensorTime? PhenomenonTime = null,
    SensorTime? ResultTime = null,
    JsonElement? Properties = null) : ISensorEntity
{
    /// <summary>The only observation type of a MultiDatastream (OGC 18-088, MultiDatastream properties table).</summary>
    public const string ComplexObservationType = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation";

    /// <summary>
    /// Why this MultiDatastream breaks the standard's rules, or <c>null</c> when it keeps them: at least one
    /// ObservedProperty, as many units and data types as ObservedProperties, and the complex observation type.
    /// </summary>
    public string? Problem()
    {
        if (ObservedPropertyIds.Count == 0)
        {
            return "A MultiDatastream needs at least one ObservedProperty.";
        }

        if (UnitOfMeasurements.Count != ObservedPropertyIds.Count || MultiObservationDataTypes.Count != ObservedPropertyIds.Count)
        {
            return $"A MultiDatastream's unitOfMeasurements ({UnitOfMeasurements.Count}), multiObservationDataTypes ({MultiObservationDataTypes.Count}) " +
                   $"and ObservedProperties ({ObservedPropertyIds.Count}) must have the same length: one of each per result component.";
        }

        if (ObservedPropertyIds.Distinct().Count() != ObservedPropertyIds.Count)
        {
            return "A MultiDatastream names an ObservedProperty twice; each result component observes a different one.";
        }

        return ObservationType == ComplexObservationType
            ? null
            : $"A MultiDatastream's observationType must be '{ComplexObservationType}', not '{ObservationType}'.";
    }
}

/// <summary>
/// An Observation of a <see cref="MultiDatastream"/>: its result is a JSON array with one value per ObservedProperty.
/// Its id comes from the same sequence as every other Observation's, so <c>Observations(id)</c> names one of either.
/// </summary>
/// <param name="Id">See <see cref="ISensorEntity.Id"/>.</param>
/// <param name="MultiDatastreamId">The MultiDatastream (exactly one).</param>
/// <param name="FeatureOfInterestId">The FeatureOfInterest, or <c>null</c>.</param>
/// <param name="PhenomenonTime">When the observed phenomenon occurred: an instant or an interval.</param>
/// <param name="ResultTime">When the result was produced, or <c>null</c>.</param>
/// <param name="Result">The result array, one component per ObservedProperty.</param>
/// <param name="ResultQuality">The quality of the result (any JSON), or <c>null</c>.</param>
/// <param name="ValidTime">When the result may be used, or <c>null</c>.</param>
/// <param name="Parameters">A JSON object of the environmental conditions, or <c>null</c>.</param>
public sealed record MultiObservation(
    long Id,
    long MultiDatastreamId,
    long? FeatureOfInterestId,
    SensorTime PhenomenonTime,
    DateTimeOffset? ResultTime,
    JsonElement Result,
    JsonElement? ResultQuality = null,
    SensorTime? ValidTime = null,
    JsonElement? Parameters = null) : ISensorEntity;

/// <summary>
/// A MultiDatastream or one of its Observations breaks the extension's rules (arrays of different lengths, a result array
/// of the wrong length, another observation type); nothing of the write was stored. The request is at fault: answer 400
/// with <see cref="Exception.Message"/>.
/// </summary>
public sealed class MultiDatastreamShapeException(string message) : Exception(message)
{
    /// <summary>The refusal of a result that is not an array of <paramref name="expected"/> values (<paramref name="actual"/> -1: not an array).</summary>
    public static MultiDatastreamShapeException Result(long multiDatastreamId, int expected, int actual) => new(actual < 0
        ? $"An Observation of MultiDatastream {multiDatastreamId} needs a result array of {expected} values (one per ObservedProperty), not a single value."
        : $"An Observation of MultiDatastream {multiDatastreamId} needs a result array of {expected} values (one per ObservedProperty), not {actual}.");
}
