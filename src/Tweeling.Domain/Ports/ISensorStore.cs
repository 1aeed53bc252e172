using Tweeling.Domain.Audit;
using Tweeling.Domain.Sensors;

namespace Tweeling.Domain.Ports;

/// <summary>
/// Stores the SensorThings entities other than Observations (those go through <see cref="IObservationStore"/>):
/// create, read, list, update and delete, with the standard's integrity constraints and cascades.
/// </summary>
/// <remarks>
/// Every method is one all-or-nothing unit: a call that fails (a missing linked entity, a conflict)
/// leaves the store as it was. <c>T</c> is one of <see cref="Thing"/>, <see cref="Location"/>,
/// <see cref="HistoricalLocation"/>, <see cref="Datastream"/>, <see cref="MultiDatastream"/>, <see cref="Sensor"/>,
/// <see cref="ObservedProperty"/> or <see cref="FeatureOfInterest"/>; any other type is refused with
/// <see cref="ArgumentException"/>.
/// </remarks>
public interface ISensorStore
{
    /// <summary>
    /// Creates <paramref name="entity"/> (its <see cref="ISensorEntity.Id"/> is ignored) and returns it with
    /// its new id. Links (a Datastream's Thing, Sensor and ObservedProperty; a HistoricalLocation's Thing and
    /// Locations) must name existing entities, else <see cref="SensorLinkException"/>.
    /// </summary>
    Task<T> CreateAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>
    /// A deep insert: a new Thing with its Locations and Datastreams, each Location and each Datastream's
    /// Sensor and ObservedProperty new or existing — one transaction, so a part that fails stores nothing.
    /// When the Thing gets Locations, a <see cref="HistoricalLocation"/> at <paramref name="insert"/>'s
    /// <see cref="ThingInsert.Time"/> records them.
    /// </summary>
    Task<ThingInserted> CreateThingAsync(ThingInsert insert, CancellationToken cancellationToken);

    /// <summary>The entity with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>Up to <paramref name="limit"/> entities with ids greater than <paramref name="afterId"/>, by ascending id (keyset paging).</summary>
    Task<IReadOnlyList<T>> ListAsync<T>(long afterId, int limit, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>
    /// Updates the entity with <paramref name="id"/> to what <paramref name="merge"/> makes of the stored
    /// one (a PATCH: the caller copies only the members it was given, e.g. with <c>with</c>), read and
    /// written in one transaction. Returns the stored result, or <c>null</c> when there is no such entity.
    /// The id cannot change; changed links must name existing entities (<see cref="SensorLinkException"/>).
    /// </summary>
    Task<T?> UpdateAsync<T>(long id, Func<T, T> merge, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>
    /// Deletes the entity with <paramref name="id"/> and what the standard deletes with it: a Thing its
    /// Datastreams and MultiDatastreams (with their Observations) and HistoricalLocations; a Datastream or
    /// MultiDatastream its Observations; a Sensor or ObservedProperty its Datastreams and MultiDatastreams (with
    /// their Observations); a FeatureOfInterest its Observations; a Location the HistoricalLocations that name it. Links to a deleted entity go with it.
    /// Returns whether the entity existed.
    /// </summary>
    Task<bool> DeleteAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>The ids of the current Locations of Thing <paramref name="thingId"/>, ascending.</summary>
    Task<IReadOnlyList<long>> ThingLocationsAsync(long thingId, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="locationIds"/> the current Locations of Thing <paramref name="thingId"/>. When
    /// that changes them, a <see cref="HistoricalLocation"/> at <paramref name="time"/> records the new set.
    /// Fails with <see cref="SensorLinkException"/> when the Thing or a Location does not exist.
    /// </summary>
    Task SetThingLocationsAsync(long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a page of any entity set, Observations included, optionally navigated from a parent
    /// (<see cref="SensorScope"/>), filtered, ordered (then by id) and counted, as <c>$filter</c>, <c>$orderby</c>,
    /// <c>$top</c>, <c>$skip</c> and <c>$count</c> ask. A navigation the parent's set lacks is an
    /// <see cref="ArgumentException"/>; an unknown property or a type error in the filter or order is a
    /// <see cref="SensorQueryException"/>.
    /// </summary>
    Task<SensorPage> QueryAsync(SensorQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The same read navigated from several parents, as <c>$expand</c> needs it: for each id in
    /// <paramref name="parentIds"/>, the page that <see cref="QueryAsync"/> would answer for <paramref name="query"/>
    /// with its <see cref="SensorQuery.Scope"/>'s id set to that parent — filter, order, <c>$top</c>, <c>$skip</c> and
    /// count apply per parent. One page per id, in the order of <paramref name="parentIds"/>, all from one read of the
    /// store (one snapshot), instead of one query per parent. <paramref name="query"/> must have a scope; its id is ignored.
    /// </summary>
    Task<IReadOnlyList<SensorPage>> QueryEachAsync(SensorQuery query, IReadOnlyList<long> parentIds, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="unit"/> as one all-or-nothing write unit (a deep insert, a <c>$batch</c> change
    /// set): everything it does through the <see cref="ISensorWriter"/> it is given — entities and
    /// Observations alike — is committed together when it returns, and none of it when it throws (the
    /// exception propagates). On return the unit is durable as <see cref="IObservationStore.AppendAsync(IReadOnlyList{NewObservation}, CancellationToken)"/>
    /// is: committed and synced to disk, with latest observations and rollups kept.
    /// </summary>
    /// <remarks>
    /// The writer is valid only while <paramref name="unit"/> runs, and its calls must not overlap (await
    /// each before the next). It sees its own uncommitted writes; other readers see none of them until the
    /// commit. Units run one at a time, so keep them short. Observations appended in a unit are not
    /// published by an <see cref="IObservationStore"/> decorator: the caller that wants them announced does
    /// so after this returns.
    /// </remarks>
    Task<T> WriteAsync<T>(Func<ISensorWriter, CancellationToken, Task<T>> unit, CancellationToken cancellationToken);

    /// <summary>The Observation of a MultiDatastream with <paramref name="id"/>, or <c>null</c> (also when <paramref name="id"/> is a Datastream's).</summary>
    Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> Observations of MultiDatastream <paramref name="multiDatastreamId"/> with ids greater than
    /// <paramref name="afterId"/>, by ascending id (keyset paging).
    /// </summary>
    Task<IReadOnlyList<MultiObservation>> MultiObservationsAsync(long multiDatastreamId, long afterId, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// The operations of one write unit of <see cref="ISensorStore.WriteAsync{T}"/>. Each behaves as the store
/// method of the same name, but nothing is committed until the unit ends, and a failure anywhere in the
/// unit undoes all of them.
/// </summary>
public interface ISensorWriter
{
    /// <summary>See <see cref="ISensorStore.CreateAsync{T}"/>.</summary>
    Task<T> CreateAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>See <see cref="ISensorStore.FindAsync{T}"/>; sees the unit's own writes.</summary>
    Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>See <see cref="ISensorStore.UpdateAsync{T}"/>.</summary>
    Task<T?> UpdateAsync<T>(long id, Func<T, T> merge, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>See <see cref="ISensorStore.DeleteAsync{T}"/> (with the same cascades).</summary>
    Task<bool> DeleteAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>See <see cref="ISensorStore.ThingLocationsAsync"/>.</summary>
    Task<IReadOnlyList<long>> ThingLocationsAsync(long thingId, CancellationToken cancellationToken);

    /// <summary>See <see cref="ISensorStore.SetThingLocationsAsync"/> (a change records a HistoricalLocation).</summary>
    Task SetThingLocationsAsync(long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>
    /// See <see cref="IObservationStore.AppendAsync(IReadOnlyList{NewObservation}, CancellationToken)"/>: the observations get their ids now, and the latest
    /// observations, rollups and Datastream time spans are updated in the unit.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken);

    /// <summary>See <see cref="IObservationStore.FindObservationAsync"/>; sees the unit's own writes.</summary>
    Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the observation with <paramref name="id"/> by what <paramref name="merge"/> makes of it (PATCH
    /// or PUT), correcting the latest observation and the rollups of both its old and its new values. Its
    /// links must name existing entities (<see cref="SensorLinkException"/>); the id cannot change. Returns
    /// the stored result, or <c>null</c> when there is no such observation.
    /// </summary>
    Task<Observation?> UpdateObservationAsync(long id, Func<Observation, Observation> merge, CancellationToken cancellationToken);

    /// <summary>See <see cref="IObservationStore.DeleteObservationAsync"/>; also deletes an Observation of a MultiDatastream.</summary>
    Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Appends Observations of MultiDatastreams (their ids are ignored) and returns their new ids, in order, from the
    /// sequence of every Observation; widens each MultiDatastream's phenomenon and result time. Each MultiDatastream and
    /// FeatureOfInterest must exist (<see cref="SensorLinkException"/>) and each result must be an array of as many values
    /// as its MultiDatastream has ObservedProperties (<see cref="MultiDatastreamShapeException"/>).
    /// </summary>
    Task<IReadOnlyList<long>> AppendMultiAsync(IReadOnlyList<MultiObservation> observations, CancellationToken cancellationToken);

    /// <summary>See <see cref="ISensorStore.FindMultiObservationAsync"/>; sees the unit's own writes.</summary>
    Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the Observation of a MultiDatastream with <paramref name="id"/> by what <paramref name="merge"/> makes of it
    /// (PATCH or PUT), checked as <see cref="AppendMultiAsync"/> checks a new one (links exist, the result array fits its
    /// MultiDatastream); the id cannot change. Returns the stored result, or <c>null</c> when there is no such Observation.
    /// </summary>
    Task<MultiObservation?> UpdateMultiObservationAsync(long id, Func<MultiObservation, MultiObservation> merge, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="DerivedFeatureOfInterestAsync"/>, for an Observation of MultiDatastream <paramref name="multiDatastreamId"/>:
    /// the FeatureOfInterest derived from the current Location of its Thing, shared with the Datastreams of that Location.
    /// </summary>
    Task<DerivedFeature?> DerivedFeatureOfInterestForMultiDatastreamAsync(long multiDatastreamId, CancellationToken cancellationToken);

    /// <summary>
    /// The FeatureOfInterest an Observation of Datastream <paramref name="datastreamId"/> is about when it
    /// names none (OGC 18-088 §10.2): the one derived from the current Location of the Datastream's Thing
    /// (the lowest id when it has several), created from that Location's name, description, encoding and
    /// geometry the first time and reused for every later Observation at that Location. <c>null</c> when
    /// the Thing has no Location. Fails with <see cref="SensorLinkException"/> when the Datastream does not exist.
    /// The answer carries the new entity when this call created it, so that the create can be announced like any other.
    /// </summary>
    Task<DerivedFeature?> DerivedFeatureOfInterestAsync(long datastreamId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="entry"/> to the audit log (<see cref="IAuditLog"/>) in this unit, so the record
    /// is committed with the change it records, or not at all.
    /// </summary>
    Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);
}

/// <summary>The FeatureOfInterest derived for a Datastream (<see cref="ISensorWriter.DerivedFeatureOfInterestAsync"/>).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Created">The feature as stored when this call created it; <c>null</c> when an earlier one was reused.</param>
public sealed record DerivedFeature(long Id, FeatureOfInterest? Created);

/// <summary>A new Thing with its Locations and Datastreams, for <see cref="ISensorStore.CreateThingAsync"/>.</summary>
/// <param name="Thing">The Thing; its id is ignored.</param>
/// <param name="Locations">Its Locations, new or existing.</param>
/// <param name="Datastreams">Its Datastreams, each with a new or existing Sensor and ObservedProperty.</param>
/// <param name="Time">When the Thing arrived at its Locations: the time of the HistoricalLocation (the request's time).</param>
public sealed record ThingInsert(Thing Thing, IReadOnlyList<Link<Location>> Locations, IReadOnlyList<DatastreamInsert> Datastreams, DateTimeOffset Time);

/// <summary>A new Datastream of a deep insert; its own id and link ids are ignored in favour of the links given.</summary>
/// <param name="Datastream">The Datastream.</param>
/// <param name="Sensor">Its Sensor, new or existing.</param>
/// <param name="ObservedProperty">Its ObservedProperty, new or existing.</param>
public sealed record DatastreamInsert(Datastream Datastream, Link<Sensor> Sensor, Link<ObservedProperty> ObservedProperty);

/// <summary>The ids a deep insert assigned, in the order of the <see cref="ThingInsert"/>.</summary>
/// <param name="ThingId">The new Thing.</param>
/// <param name="LocationIds">Its Locations (new or existing).</param>
/// <param name="DatastreamIds">Its new Datastreams.</param>
/// <param name="HistoricalLocationId">The HistoricalLocation recording its Locations, or <c>null</c> when it has none.</param>
public sealed record ThingInserted(long ThingId, IReadOnlyList<long> LocationIds, IReadOnlyList<long> DatastreamIds, long? HistoricalLocationId);

/// <summary>A link in a deep insert: to an existing entity by id (<c>{"@iot.id": 7}</c>), or to one to create.</summary>
/// <typeparam name="T">The linked entity type.</typeparam>
public sealed record Link<T>
    where T : class, ISensorEntity
{
    private Link(long? existingId, T? created) => (ExistingId, New) = (existingId, created);

    /// <summary>The id of the existing entity, or <c>null</c>.</summary>
    public long? ExistingId { get; }

    /// <summary>The entity to create, or <c>null</c>.</summary>
    public T? New { get; }

    /// <summary>A link to the existing entity with <paramref name="id"/>.</summary>
    public static Link<T> To(long id) => new(id, null);

    /// <summary>A link to <paramref name="entity"/>, created with the rest of the insert.</summary>
    public static Link<T> Create(T entity) => new(null, entity);
}

/// <summary>A write named a linked entity that does not exist; nothing of it was stored.</summary>
public sealed class SensorLinkException(string entityType, long id)
    : Exception($"There is no {entityType} with id {id}.")
{
    /// <summary>The missing entity's type, as the standard names it (<c>Datastream</c>, <c>Sensor</c>, …).</summary>
    public string EntityType { get; } = entityType;

    /// <summary>The id that was not found.</summary>
    public long Id { get; } = id;
}
