using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Location = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Features.Live;

/// <summary>
/// The SensorThings entity store as the server uses it: every create and update that commits is published
/// on the <see cref="EntityChangeBus"/> afterwards (SensorThings "receive updates via MQTT"), so subscribers
/// never see a change that was rolled back; updated Observations go there too (new ones go through the
/// <see cref="ObservationBus"/>). Deletes are not published: OGC 18-088 §14.2 defines notifications for created
/// and updated entities only, and no topic or message for a deleted one.
/// Every committed write that may change how entities relate advances the <see cref="SensorModelRevision"/>.
/// </summary>
/// <remarks>
/// A HistoricalLocation that <see cref="ISensorStore.SetThingLocationsAsync"/> records is not published,
/// because the port does not return it.
/// </remarks>
internal sealed class PublishingSensorStore(ISensorStore inner, EntityChangeBus bus, SensorModelRevision revision) : ISensorStore
{
    public async Task<T> CreateAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var created = await inner.CreateAsync(entity, cancellationToken);
        revision.Advance();
        bus.Publish([new EntityChange(created, null)]);
        return created;
    }

    public async Task<ThingInserted> CreateThingAsync(ThingInsert insert, CancellationToken cancellationToken)
    {
        var inserted = await inner.CreateThingAsync(insert, cancellationToken);
        revision.Advance();

        // The port returns ids only; the entities are read back after the commit, in the order they depend on each other.
        var created = new List<ISensorEntity?> { await inner.FindAsync<Thing>(inserted.ThingId, cancellationToken) };
        for (var i = 0; i < insert.Locations.Count; i++)
        {
            if (insert.Locations[i].New is not null)
            {
                created.Add(await inner.FindAsync<Location>(inserted.LocationIds[i], cancellationToken));
            }
        }

        for (var i = 0; i < insert.Datastreams.Count; i++)
        {
            var datastream = await inner.FindAsync<Datastream>(inserted.DatastreamIds[i], cancellationToken);
            if (datastream is not null && insert.Datastreams[i].Sensor.New is not null)
            {
                created.Add(await inner.FindAsync<Sensor>(datastream.SensorId, cancellationToken));
            }

            if (datastream is not null && insert.Datastreams[i].ObservedProperty.New is not null)
            {
                created.Add(await inner.FindAsync<ObservedProperty>(datastream.ObservedPropertyId, cancellationToken));
            }

            created.Add(datastream);
        }

        if (inserted.HistoricalLocationId is { } historical)
        {
            created.Add(await inner.FindAsync<HistoricalLocation>(historical, cancellationToken));
        }

        // An entity deleted between the commit and the read is gone already; there is nothing to announce for it.
        bus.Publish(created.OfType<ISensorEntity>().Select(e => new EntityChange(e, null)));
        return inserted;
    }

    public Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity =>
        inner.FindAsync<T>(id, cancellationToken);

    public Task<IReadOnlyList<T>> ListAsync<T>(long afterId, int limit, CancellationToken cancellationToken)
        where T : class, ISensorEntity =>
        inner.ListAsync<T>(afterId, limit, cancellationToken);

    public async Task<T?> UpdateAsync<T>(long id, Func<T, T> merge, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        // The merge sees the stored entity inside the store's transaction: the exact "before" of this update.
        T? previous = null;
        var updated = await inner.UpdateAsync<T>(id, stored => merge(previous = stored), cancellationToken);
        if (updated is not null)
        {
            revision.Advance();
            bus.Publish([new EntityChange(updated, previous)]);
        }

        return updated;
    }

    public async Task<bool> DeleteAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity
    {
        var deleted = await inner.DeleteAsync<T>(id, cancellationToken);
        revision.Advance();
        return deleted;
    }

    public Task<IReadOnlyList<long>> ThingLocationsAsync(long thingId, CancellationToken cancellationToken) => inner.ThingLocationsAsync(thingId, cancellationToken);

    public async Task SetThingLocationsAsync(long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time, CancellationToken cancellationToken)
    {
        await inner.SetThingLocationsAsync(thingId, locationIds, time, cancellationToken);
        revision.Advance();
    }

    public Task<SensorPage> QueryAsync(SensorQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<SensorPage>> QueryEachAsync(SensorQuery query, IReadOnlyList<long> parentIds, CancellationToken cancellationToken) =>
        inner.QueryEachAsync(query, parentIds, cancellationToken);

    /// <summary>
    /// Runs the unit with a writer that notes its creates and updates, and publishes them once the unit has
    /// committed; a unit that changed more than Observations advances the revision (an Observation's update is
    /// published but, as <see cref="SensorModelRevision"/> says, relates nothing anew).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<ISensorWriter, CancellationToken, Task<T>> unit, CancellationToken cancellationToken)
    {
        var changes = new List<EntityChange>();
        RecordingWriter? recording = null;
        var result = await inner.WriteAsync((writer, ct) => unit(recording = new RecordingWriter(writer, changes), ct), cancellationToken);
        if (changes.Exists(c => c.Entity is not (Observation or MultiObservation)) || recording is { Relinked: true })
        {
            revision.Advance();
        }

        bus.Publish(changes);
        return result;
    }

    public Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken) => inner.FindMultiObservationAsync(id, cancellationToken);

    public Task<IReadOnlyList<MultiObservation>> MultiObservationsAsync(long multiDatastreamId, long afterId, int limit, CancellationToken cancellationToken) =>
        inner.MultiObservationsAsync(multiDatastreamId, afterId, limit, cancellationToken);

    /// <summary>
    /// A write unit's writer that notes each entity it creates or updates, also a FeatureOfInterest that it derives
    /// for Observations without one, and each Observation it updates. New Observations are left out: the caller
    /// announces a unit's appended Observations after the commit, through the observation bus.
    /// </summary>
    private sealed class RecordingWriter(ISensorWriter inner, List<EntityChange> changes) : ISensorWriter
    {
        /// <summary>Whether the unit deleted an entity other than an Observation or moved a Thing (neither is a change to publish).</summary>
        public bool Relinked { get; private set; }

        public async Task<T> CreateAsync<T>(T entity, CancellationToken cancellationToken)
            where T : class, ISensorEntity
        {
            var created = await inner.CreateAsync(entity, cancellationToken);
            changes.Add(new EntityChange(created, null));
            return created;
        }

        public Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
            where T : class, ISensorEntity =>
            inner.FindAsync<T>(id, cancellationToken);

        public async Task<T?> UpdateAsync<T>(long id, Func<T, T> merge, CancellationToken cancellationToken)
            where T : class, ISensorEntity
        {
            T? previous = null;
            var updated = await inner.UpdateAsync<T>(id, stored => merge(previous = stored), cancellationToken);
            if (updated is not null)
            {
                changes.Add(new EntityChange(updated, previous));
            }

            return updated;
        }

        public Task<bool> DeleteAsync<T>(long id, CancellationToken cancellationToken)
            where T : class, ISensorEntity
        {
            Relinked = true;
            return inner.DeleteAsync<T>(id, cancellationToken);
        }

        public Task<IReadOnlyList<long>> ThingLocationsAsync(long thingId, CancellationToken cancellationToken) => inner.ThingLocationsAsync(thingId, cancellationToken);

        public Task SetThingLocationsAsync(long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time, CancellationToken cancellationToken)
        {
            Relinked = true;
            return inner.SetThingLocationsAsync(thingId, locationIds, time, cancellationToken);
        }

        public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) => inner.AppendAsync(observations, cancellationToken);

        public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => inner.FindObservationAsync(id, cancellationToken);

        /// <summary>
        /// An updated Observation is published like any other updated entity: OGC 18-088 §14.2 sends it to its
        /// entity set, its Datastream's and FeatureOfInterest's Observations and its own topic, not only new ones.
        /// </summary>
        public async Task<Observation?> UpdateObservationAsync(long id, Func<Observation, Observation> merge, CancellationToken cancellationToken)
        {
            Observation? previous = null;
            var updated = await inner.UpdateObservationAsync(id, stored => merge(previous = stored), cancellationToken);
            if (updated is not null)
            {
                changes.Add(new EntityChange(updated, previous));
            }

            return updated;
        }

        public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) => inner.DeleteObservationAsync(id, cancellationToken);

        /// <summary>
        /// New Observations of a MultiDatastream are published as creates of other entities are: they have no one number
        /// for the thresholds and the live stream of the observation bus, only the MQTT topics of receive updates.
        /// </summary>
        public async Task<IReadOnlyList<long>> AppendMultiAsync(IReadOnlyList<MultiObservation> observations, CancellationToken cancellationToken)
        {
            var ids = await inner.AppendMultiAsync(observations, cancellationToken);
            changes.AddRange(observations.Select((o, i) => new EntityChange(o with { Id = ids[i] }, null)));
            return ids;
        }

        public Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken) => inner.FindMultiObservationAsync(id, cancellationToken);

        public async Task<MultiObservation?> UpdateMultiObservationAsync(long id, Func<MultiObservation, MultiObservation> merge, CancellationToken cancellationToken)
        {
            MultiObservation? previous = null;
            var updated = await inner.UpdateMultiObservationAsync(id, stored => merge(previous = stored), cancellationToken);
            if (updated is not null)
            {
                changes.Add(new EntityChange(updated, previous));
            }

            return updated;
        }

        /// <summary>A FeatureOfInterest derived for the first time is a create, as for a Datastream's Observation.</summary>
        public async Task<DerivedFeature?> DerivedFeatureOfInterestForMultiDatastreamAsync(long multiDatastreamId, CancellationToken cancellationToken)
        {
            var derived = await inner.DerivedFeatureOfInterestForMultiDatastreamAsync(multiDatastreamId, cancellationToken);
            if (derived?.Created is { } created)
            {
                changes.Add(new EntityChange(created, null));
            }

            return derived;
        }

        /// <summary>A FeatureOfInterest derived for the first time is a create like any other, so MQTT subscribers of FeaturesOfInterest get it.</summary>
        public async Task<DerivedFeature?> DerivedFeatureOfInterestAsync(long datastreamId, CancellationToken cancellationToken)
        {
            var derived = await inner.DerivedFeatureOfInterestAsync(datastreamId, cancellationToken);
            if (derived?.Created is { } created)
            {
                changes.Add(new EntityChange(created, null));
            }

            return derived;
        }

        public Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
            inner.AppendAuditAsync(entry, cancellationToken);
    }
}
