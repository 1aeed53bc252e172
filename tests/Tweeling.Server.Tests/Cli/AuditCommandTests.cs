using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Server.Cli;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary>
/// <c>tweeling audit verify|export</c> on a real store file, run as the real executable: an intact log
/// verifies; every kind of tampering — an edited field, a deleted, inserted or reordered record, an edited
/// hash, a cut-off tail (with <c>--expect-head</c>) — is found, named, and exits 4.
/// </summary>
public sealed class AuditCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _work = new();
    private readonly List<AuditRecord> _records = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Store => _work.File("twin.db");

    public async ValueTask InitializeAsync()
    {
        await using var store = await SqliteTwinStore.OpenAsync(Store, TwinHost.GeometryServices, Ct);
        for (var i = 0; i < 5; i++)
        {
            _records.Add(await store.Audit.AppendAsync(Entry(i), Ct));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task An_intact_log_verifies_and_prints_its_count_and_head()
    {
        var (code, output, error) = await RunAsync("verify");
        var anchored = await RunAsync("verify", "--expect-head", _records[^1].Hash.ToUpperInvariant());

        Assert.True(code == 0, error);
        Assert.Contains($"is intact: 5 records, head {_records[^1].Hash}.", output, StringComparison.Ordinal);
        Assert.True(anchored.Code == 0, anchored.Error);
    }

    [Theory]
    [InlineData("edited field", "UPDATE audit_log SET subject = 'iemand-anders' WHERE seq = 3", "record 3 does not match its hash")]
    [InlineData("edited size", "UPDATE audit_log SET result_size = 0 WHERE seq = 2", "record 2 does not match its hash")]
    [InlineData("edited time", "UPDATE audit_log SET time = time - 3600000 WHERE seq = 4", "record 4 does not match its hash")]
    [InlineData("edited hash column", "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE seq = 4) WHERE seq = 2", "record 2 does not match its hash")]
    [InlineData("hash made unreadable", "UPDATE audit_log SET hash = x'00' WHERE seq = 2", "record 2 does not match its hash")]
    [InlineData("deleted record", "DELETE FROM audit_log WHERE seq = 3", "record 3 is missing: after record 2 comes record 4")]
    [InlineData("deleted first record", "DELETE FROM audit_log WHERE seq = 1", "record 1 is missing: after the start of the log comes record 2")]
    [InlineData("reordered records", "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -2", "record 2 does not match its hash")]
    [InlineData("deleted and renumbered", "DELETE FROM audit_log WHERE seq = 2; UPDATE audit_log SET seq = seq - 1 WHERE seq > 2", "record 2 does not match its hash")]
    public async Task Tampering_is_found_names_the_first_bad_record_and_exits_4(string tampering, string sql, string expected)
    {
        await TamperAsync(sql);

        var (code, _, error) = await RunAsync("verify");

        Assert.True(code == AuditCommand.Tampered, $"{tampering}: exit {code}, {error}");
        Assert.Contains("is NOT intact: " + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_record_is_found_even_when_its_own_hash_is_chained_correctly()
    {
        // The attacker renumbers records 3..5 to 4..6 and inserts a forged record 3 that chains onto record 2.
        var forged = Entry(9) with { Subject = "onschuldig", Action = "read" };
        await TamperAsync("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3; UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100");
        await TamperAsync($"""
            INSERT INTO audit_log (seq, time, subject, role, purpose, action, resource, result_size, result_unit, outcome, hash)
            VALUES (3, {forged.Time.ToUnixTimeMilliseconds()}, 'onschuldig', 'analist', 'beleid', 'read', '{forged.Resource}', {forged.ResultSize}, 'features', 'ok',
                    '{AuditChain.Next(_records[1].Hash, 3, forged)}')
            """);

        var (code, _, error) = await RunAsync("verify");

        Assert.Equal(AuditCommand.Tampered, code);
        Assert.Contains("is NOT intact: record 4 does not match its hash", error, StringComparison.Ordinal);
        Assert.Contains("The 3 records before it chain correctly", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_edited_with_its_hash_recomputed_breaks_the_next_record()
    {
        var edited = _records[2].Entry with { Subject = "iemand-anders" };
        await TamperAsync($"UPDATE audit_log SET subject = 'iemand-anders', hash = '{AuditChain.Next(_records[1].Hash, 3, edited)}' WHERE seq = 3");

        var (code, _, error) = await RunAsync("verify");

        Assert.Equal(AuditCommand.Tampered, code);
        Assert.Contains("is NOT intact: record 4 does not match its hash", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_off_tail_verifies_as_a_shorter_log_and_is_found_only_against_the_recorded_head()
    {
        await TamperAsync("DELETE FROM audit_log WHERE seq >= 4");

        var plain = await RunAsync("verify");
        var anchored = await RunAsync("verify", "--expect-head", _records[^1].Hash);

        Assert.True(plain.Code == 0, plain.Error);
        Assert.Contains($"is intact: 3 records, head {_records[2].Hash}.", plain.Output, StringComparison.Ordinal);
        Assert.Equal(AuditCommand.Tampered, anchored.Code);
        Assert.Contains($"the log ends at head {_records[2].Hash} after 3 records, not at the expected head {_records[^1].Hash}", anchored.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--expect-head must be a head hash of 64 hex digits", "verify", "--expect-head", "abc")]
    [InlineData("--store: there is no store at", "verify", "--store", "elders.db")]
    [InlineData("--format must be json or csv; got 'xml'", "export", "--format", "xml")]
    [InlineData("--from must be a date (yyyy-MM-dd) or an ISO 8601 instant", "export", "--from", "gisteren")]
    public async Task A_bad_argument_is_an_error_that_names_it(string message, params string[] arguments)
    {
        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, ["audit", .. arguments, .. arguments.Contains("--store") ? Array.Empty<string>() : ["--store", Store]]);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(_work.File("elders.db")), "verifying a missing store must not create one");
    }

    [Fact]
    public async Task Export_as_json_gives_the_records_with_their_hashes_filtered_and_is_itself_recorded()
    {
        var (code, output, error) = await RunAsync("export", "--subject", "pseudo-b", "--from", "2026-03-01T12:01:00Z");
        var all = await RunAsync("export");
        var verified = await RunAsync("verify");

        Assert.True(code == 0, error);
        var records = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal([2L, 4L], records.Select(r => r.GetProperty("seq").GetInt64()));
        var second = records[0];
        Assert.Equal(("2026-03-01T12:01:00.000Z", "pseudo-b", "analist", "beleid", "read"),
            (second.GetProperty("time").GetString(), second.GetProperty("subject").GetString(), second.GetProperty("role").GetString(), second.GetProperty("purpose").GetString(), second.GetProperty("action").GetString()));
        Assert.Equal((10L, "features", "ok", _records[1].Hash),
            (second.GetProperty("size").GetInt64(), second.GetProperty("unit").GetString(), second.GetProperty("outcome").GetString(), second.GetProperty("hash").GetString()));

        // Both exports are in the log, and the log still verifies.
        var exports = JsonDocument.Parse(all.Output).RootElement.EnumerateArray().Where(r => r.GetProperty("action").GetString() == "export").ToList();
        var export = Assert.Single(exports);
        Assert.Equal(("cli", "beheerder", "tweeling audit export --from=2026-03-01T12:01:00Z --subject=pseudo-b", 2L),
            (export.GetProperty("subject").GetString(), export.GetProperty("role").GetString(), export.GetProperty("resource").GetString(), export.GetProperty("size").GetInt64()));
        Assert.Contains("is intact: 7 records", verified.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_as_csv_quotes_values_and_defuses_spreadsheet_formulas()
    {
        await using (var store = await SqliteTwinStore.OpenAsync(Store, TwinHost.GeometryServices, Ct))
        {
            await store.Audit.AppendAsync(Entry(5) with { Subject = "pseudo-c", Purpose = "=HYPERLINK(\"x\"), beleid" }, Ct);
        }

        var (code, output, error) = await RunAsync("export", "--format", "csv", "--subject", "pseudo-c");

        Assert.True(code == 0, error);
        var lines = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("seq,time,subject,role,purpose,action,resource,size,unit,outcome,hash", lines[0]);
        Assert.StartsWith("6,2026-03-01T12:05:00.000Z,pseudo-c,analist,\"'=HYPERLINK(\"\"x\"\"), beleid\",read,", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Threshold_changes_and_imports_from_the_command_line_are_recorded_with_their_change()
    {
        long datastream;
        await using (var store = await SqliteTwinStore.OpenAsync(Store, TwinHost.GeometryServices, Ct))
        {
            datastream = (await SensorSeed.WeatherStationAsync(store)).DatastreamIds[0];
        }

        var added = await TweelingProcess.RunAsync(_work.Path, "drempels", "add", "--store", Store, "--datastream", $"{datastream}", "--name", "Hitte", "--above", "30");
        var removed = await TweelingProcess.RunAsync(_work.Path, "drempels", "remove", "--store", Store, "1");
        var missing = await TweelingProcess.RunAsync(_work.Path, "drempels", "remove", "--store", Store, "1");
        var imported = await TweelingProcess.RunAsync(_work.Path, "import", "--store", Store, "osm-geojson", Path.Combine(Repository.Root, "tests", "TestData", "osm", "small.osm.geojson"));
        var failed = await TweelingProcess.RunAsync(_work.Path, "import", "--store", Store, "osm-geojson", Path.Combine(Repository.Root, "tests", "TestData", "bad", "malformed.geojson"));
        var verified = await RunAsync("verify");

        Assert.True(added.Code == 0 && removed.Code == 0 && imported.Code == 0, added.Error + removed.Error + imported.Error);
        Assert.NotEqual(0, missing.Code);
        Assert.NotEqual(0, failed.Code);
        Assert.Contains("is intact: 8 records", verified.Output, StringComparison.Ordinal);
        var changes = await ReadAsync(6);
        Assert.Equal(
            [("create", $"tweeling drempels add: drempel 1 on Datastream {datastream}", "thresholds"), ("delete", "tweeling drempels remove: drempel 1", "thresholds"), ("import", "tweeling import osm-geojson: dataset ", "features")],
            changes.Select(r => (r.Entry.Action, r.Entry.Action == "import" ? r.Entry.Resource[..37] : r.Entry.Resource, r.Entry.ResultUnit)));
        Assert.All(changes, r => Assert.Equal(("cli", "beheerder"), (r.Entry.Subject, r.Entry.Role)));
        Assert.True(changes[2].Entry.ResultSize > 0, "the import record counts the features it wrote");
    }

    private static AuditEntry Entry(int minute) =>
        new(s_t0.AddMinutes(minute), minute % 2 == 0 ? "pseudo-a" : "pseudo-b", "analist", "beleid", "read", $"GET /ogc/collections/buurten/items; datasets zorg-{minute}", minute * 10, "features", AuditEntry.Ok);

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] arguments) =>
        TweelingProcess.RunAsync(_work.Path, ["audit", .. arguments, "--store", Store]);

    /// <summary>Changes the store file directly, as someone with access to it could.</summary>
    private async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Store, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<List<AuditRecord>> ReadAsync(long fromSequence)
    {
        await using var store = await SqliteTwinStore.OpenAsync(Store, TwinHost.GeometryServices, Ct);
        var records = new List<AuditRecord>();
        await foreach (var record in store.Audit.ReadAsync(AuditFilter.All, Ct))
        {
            if (record.Sequence >= fromSequence)
            {
                records.Add(record);
            }
        }

        return records;
    }
}
