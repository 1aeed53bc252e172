using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Location = Tweeling.Domain.Sensors.Location;
using static Tweeling.Storage.Sqlite.SqliteCommands;

namespace Tweeling.Storage.Sqlite;

/// <summary>The write units of <see cref="ISensorStore.WriteAsync{T}"/>: one SQLite transaction per unit.</summary>
public sealed partial class SqliteSensorStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One pooled connection and one <c>BEGIN IMMEDIATE</c> transaction (Microsoft.Data.Sqlite's default), so
    /// the unit holds the write lock from its start and never fails half-way on a lock upgrade; units and appends of this store queue for it in the process (see <see cref="_writeGate"/>). The commit
    /// runs with <c>synchronous = FULL</c>, as appends do, so a returned unit survives power loss.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<ISensorWriter, CancellationToken, Task<T>> unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
            Execute(connection, null, "PRAGMA synchronous = FULL");
            using var tx = connection.BeginTransaction();
            var writer = new Writer(this, tx);
            T result;
            try
            {
                result = await unit(writer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writer.End();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (writer.ChangedEntities)
            {
                RecordChanges(connection, [(null, long.MinValue)]);
            }

            tx.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The FeatureOfInterest derived from the first Location of the Thing of the <paramref name="entityType"/>
    /// (a Datastream or MultiDatastream, in <paramref name="table"/>) with <paramref name="id"/>
    /// (see <see cref="ISensorWriter.DerivedFeatureOfInterestAsync"/>), created on first use.
    /// </summary>
    private DerivedFeature? DerivedFeatureOfInterest(SqliteTransaction tx, string entityType, string table, long id)
    {
        Require(tx, entityType, table, id);
        if (Scalar(tx, $"""
            SELECT tl.location_id FROM {table} d JOIN sta_thing_locations tl ON tl.thing_id = d.thing_id
            WHERE d.id = $p0 ORDER BY tl.location_id LIMIT 1
            """, id) is not long locationId)
        {
            return null;
        }

        // A remembered feature that was deleted since is made again, so a derived link never dangles.
        if (Scalar(tx, """
            SELECT f.id FROM sta_location_features lf JOIN sta_features_of_interest f ON f.id = lf.feature_of_interest_id
            WHERE lf.location_id = $p0
            """, locationId) is long remembered)
        {
            return new DerivedFeature(remembered, null);
        }

        var location = Find(tx.Connection!, tx, TableOf<Location>(), locationId)!;
        var feature = Insert(tx, TableOf<FeatureOfInterest>(), new FeatureOfInterest(0, location.Name, location.Description, location.EncodingType, location.Geometry, location.Properties));
        Execute(tx, "INSERT OR REPLACE INTO sta_location_features (location_id, feature_of_interest_id) VALUES ($p0, $p1)", locationId, feature.Id);
        return new DerivedFeature(feature.Id, feature);
    }

    /// <summary>
    /// Replaces observation <paramref name="id"/>: deleting it corrects the latest observation and rollups of its
    /// old values, appending the merged one under the same id adds its new values.
    /// </summary>
    private static Observation? UpdateObservation(SqliteTransaction tx, long id, Func<Observation, Observation> merge, CancellationToken cancellationToken)
    {
        var found = ReadObservations(Command(tx.Connection!, tx, $"SELECT {ObservationColumns} FROM sta_observations WHERE id = $p0", id));
        if (found.Count == 0)
        {
            return null;
        }

        var merged = merge(found[0]);
        if (merged.Id != id)
        {
            throw new ArgumentException($"An update may not change an Observation's id ({id} to {merged.Id}).", nameof(merge));
        }

        DeleteObservations(tx, "id = $p0", id);
        Append(
            tx,
            [new NewObservation(merged.DatastreamId, merged.PhenomenonTime, merged.Result, merged.ResultJson, merged.ResultTime, merged.FeatureOfInterestId, merged.ResultQuality, merged.ValidTime, merged.Parameters)],
            id,
            cancellationToken);
        return merged;
    }

    /// <summary>
    /// The writer of one unit. SQLite runs statements synchronously, so every method completes before it
    /// returns; <see cref="End"/> makes later calls fail instead of writing outside the transaction.
    /// </summary>
    private sealed class Writer(SqliteSensorStore store, SqliteTransaction tx) : ISensorWriter
    {
        private bool _ended;

        /// <summary>Whether the unit wrote anything but Observations (they note their own Datastreams in <c>sta_changes</c>).</summary>
        public bool ChangedEntities { get; private set; }

        public void End() => _ended = true;

        public Task<T> CreateAsync<T>(T entity, CancellationToken cancellationToken)
            where T : class, ISensorEntity => Run(cancellationToken, () => store.Insert(tx, store.TableOf<T>(), entity), entities: true);

        public Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
            where T : class, ISensorEntity => Run(cancellationToken, () => Find(tx.Connection!, tx, store.TableOf<T>(), id));

        public Task<T?> UpdateAsync<T>(long id, Func<T, T> merge, CancellationToken cancellationToken)
            where T : class, ISensorEntity => Run(cancellationToken, () => Update(tx, store.TableOf<T>(), id, merge), entities: true);

        public Task<bool> DeleteAsync<T>(long id, CancellationToken cancellationToken)
            where T : class, ISensorEntity => Run(cancellationToken, () => Delete(tx, store.TableOf<T>(), id), entities: true);

        public Task<IReadOnlyList<long>> ThingLocationsAsync(long thingId, CancellationToken cancellationToken) =>
            Run<IReadOnlyList<long>>(cancellationToken, () => LocationsOf(tx.Connection!, tx, thingId));

        public Task SetThingLocationsAsync(long thingId, IReadOnlyCollection<long> locationIds, DateTimeOffset time, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => store.SetThingLocations(tx, thingId, locationIds, time), entities: true);

        public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, CancellationToken cancellationToken) =>
            Run<IReadOnlyList<long>>(cancellationToken, () => observations.Count == 0 ? [] : Append(tx, observations, null, cancellationToken));

        public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) =>
            Run(cancellationToken, () =>
            {
                var found = ReadObservations(Command(tx.Connection!, tx, $"SELECT {ObservationColumns} FROM sta_observations WHERE id = $p0", id));
                return found.Count == 0 ? null : found[0];
            });

        public Task<Observation?> UpdateObservationAsync(long id, Func<Observation, Observation> merge, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => UpdateObservation(tx, id, merge, cancellationToken));

        public Task<bool> DeleteObservationAsync(long id, CancellationToken cancellationToken) =>
            Run(cancellationToken, () =>
            {
                if (DeleteObservations(tx, "id = $p0", id) > 0)
                {
                    return true;
                }

                // An Observation of a MultiDatastream notes no Datastream in sta_changes: its delete counts as a change of everything.
                var deleted = DeleteMultiObservation(tx, id);
                ChangedEntities |= deleted;
                return deleted;
            });

        public Task<IReadOnlyList<long>> AppendMultiAsync(IReadOnlyList<MultiObservation> observations, CancellationToken cancellationToken) =>
            Run<IReadOnlyList<long>>(cancellationToken, () => observations.Count == 0 ? [] : AppendMulti(tx, observations), entities: true);

        public Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => FindMultiObservation(tx.Connection!, tx, id));

        public Task<MultiObservation?> UpdateMultiObservationAsync(long id, Func<MultiObservation, MultiObservation> merge, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => UpdateMultiObservation(tx, id, merge), entities: true);

        public Task<DerivedFeature?> DerivedFeatureOfInterestAsync(long datastreamId, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => store.DerivedFeatureOfInterest(tx, "Datastream", "sta_datastreams", datastreamId), entities: true);

        public Task<DerivedFeature?> DerivedFeatureOfInterestForMultiDatastreamAsync(long multiDatastreamId, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => store.DerivedFeatureOfInterest(tx, "MultiDatastream", "sta_multi_datastreams", multiDatastreamId), entities: true);

        public Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
            Run(cancellationToken, () => SqliteAuditLog.Append(tx, entry));

        private Task<TResult> Run<TResult>(CancellationToken cancellationToken, Func<TResult> write, bool entities = false)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            cancellationToken.ThrowIfCancellationRequested();
            ChangedEntities |= entities;
            return Task.FromResult(write());
        }
    }
}
