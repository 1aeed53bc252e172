using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary>
/// The data protection officer's export filters the audit log on time, subject and action: SQLite's query plan
/// for each filter searches an index instead of scanning every record, and the indexed read returns what the
/// filter asks for.
/// </summary>
public sealed class SqliteAuditExportPlanTests : IDisposable
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.RdNewSrid);
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string> Filters => new()
    {
        { "time", "SEARCH audit_log USING INDEX audit_log_by_time (time>? AND time<?)" },
        { "subject", "SEARCH audit_log USING INDEX audit_log_by_subject (subject=?)" },
        { "subject and time", "SEARCH audit_log USING INDEX audit_log_by_subject (subject=? AND time>? AND time<?)" },
        { "action", "SEARCH audit_log USING INDEX audit_log_by_action (action=?)" },
        { "action and time", "SEARCH audit_log USING INDEX audit_log_by_action (action=? AND time>? AND time<?)" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_export_filter_searches_an_index_and_returns_only_its_records(string filterName, string expectedPlan)
    {
        var path = _directory.File("twin.db");
        await using var store = await SqliteTwinStore.OpenAsync(path, s_geometry, Ct);
        for (var i = 0; i < 300; i++)
        {
            await store.Audit.AppendAsync(new AuditEntry(s_t0.AddMinutes(i), $"account-{i % 10}", "analist", "beleid", i % 3 == 0 ? "export" : "read", "/api/v1/x", i, "rows", AuditEntry.Ok), Ct);
        }

        var filter = filterName switch
        {
            "time" => new AuditFilter(From: s_t0.AddMinutes(100), To: s_t0.AddMinutes(110)),
            "subject" => new AuditFilter(Subject: "account-3"),
            "subject and time" => new AuditFilter(s_t0.AddMinutes(100), s_t0.AddMinutes(200), "account-3"),
            "action" => new AuditFilter(Action: "export"),
            _ => new AuditFilter(s_t0.AddMinutes(100), s_t0.AddMinutes(200), Action: "export"),
        };

        Assert.Equal(expectedPlan, await PlanAsync(path, filter));
        var records = await store.Audit.ReadAsync(filter, Ct).ToListAsync(Ct);
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.True(filter.From is not { } from || r.Entry.Time >= from));
        Assert.All(records, r => Assert.True(filter.To is not { } to || r.Entry.Time < to));
        Assert.All(records, r => Assert.True(filter.Subject is null || r.Entry.Subject == filter.Subject));
        Assert.All(records, r => Assert.True(filter.Action is null || r.Entry.Action == filter.Action));
        Assert.Equal(records.OrderBy(r => r.Sequence).Select(r => r.Sequence), records.Select(r => r.Sequence));
    }

    /// <summary>The access step of SQLite's plan for the read of <paramref name="filter"/> (the sort for ORDER BY left out).</summary>
    private static async Task<string> PlanAsync(string path, AuditFilter filter)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteAuditLog.Query(filter);
        foreach (var name in new[] { "$from", "$to", "$subject", "$action" })
        {
            command.Parameters.AddWithValue(name, DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(Ct);
        var steps = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            steps.Add(reader.GetString(3));
        }

        return Assert.Single(steps, s => !s.StartsWith("USE TEMP B-TREE", StringComparison.Ordinal));
    }
}
