using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>The embedded broker's persistent MQTT sessions survive a reopen of a real SQLite file; clean sessions are never stored.</summary>
public sealed class SqliteMqttSessionStoreTests : IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private static readonly DateTimeOffset s_away = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_sessions_subscriptions_and_absence_are_read_back_after_reopening_and_end_with_the_session()
    {
        await using (var store = await OpenAsync())
        {
            var sessions = store.MqttSessions;
            await sessions.SessionStartedAsync("sensor-kade", TimeSpan.FromMinutes(10), Ct);
            await sessions.SubscribedAsync("sensor-kade", "v1.1/Datastreams(1)/Observations", 1, Ct);
            await sessions.SubscribedAsync("sensor-kade", "v1.1/Things?$select=id,name", 0, Ct);
            await sessions.SubscribedAsync("sensor-kade", "v1.1/Things?$select=id,name", 1, Ct);
            await sessions.SubscribedAsync("sensor-kade", "v1.1/Sensors", 0, Ct);
            await sessions.UnsubscribedAsync("sensor-kade", "v1.1/Sensors", Ct);
            await sessions.SessionAwayAsync("sensor-kade", s_away, Ct);

            // A client with a clean session was never started as persistent: what it subscribes to is not kept.
            await sessions.SubscribedAsync("dashboard", "v1.1/Observations", 1, Ct);
            await sessions.SessionStartedAsync("ending", TimeSpan.FromHours(1), Ct);
            await sessions.SubscribedAsync("ending", "v1.1/Observations", 1, Ct);
            await sessions.SessionEndedAsync("ending", Ct);
        }

        await using (var reopened = await OpenAsync())
        {
            var session = Assert.Single(await reopened.MqttSessions.SessionsAsync(Ct));
            Assert.Equal(("sensor-kade", TimeSpan.FromMinutes(10), (DateTimeOffset?)s_away), (session.ClientId, session.Expiry, session.AwaySince));
            Assert.Equal([("v1.1/Datastreams(1)/Observations", 1), ("v1.1/Things?$select=id,name", 1)], session.Subscriptions);

            // Connected again: present, with the expiry it asks for now, and its subscriptions kept.
            await reopened.MqttSessions.SessionStartedAsync("sensor-kade", TimeSpan.FromMinutes(5), Ct);
            session = Assert.Single(await reopened.MqttSessions.SessionsAsync(Ct));
            Assert.Equal((TimeSpan.FromMinutes(5), (DateTimeOffset?)null, 2), (session.Expiry, session.AwaySince, session.Subscriptions.Count));
        }
    }

    private Task<SqliteTwinStore> OpenAsync() => SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
}
