using System.Text;
using Microsoft.AspNetCore.Http;
using Tweeling.Domain.Audit;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Audit;

/// <summary>
/// The read seam: a response that <see cref="ReadAccess"/> marked as drawing on non-open data reaches the
/// client only after its audit record is durable. The platform has no sign-in yet, so these tests give the
/// middleware a signed-in caller directly; the request and the store are real.
/// </summary>
public sealed class AuditedReadsTests : IAsyncLifetime, IDisposable
{
    private static readonly Caller s_analyst = new(Role.Analist, "beleid", "acc-7f3a");
    private readonly TempDirectory _work = new();
    private SqliteTwinStore? _store;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private SqliteTwinStore Store => _store!;

    public async ValueTask InitializeAsync() => _store = await SqliteTwinStore.OpenAsync(_work.File("twin.db"), TwinHost.GeometryServices, Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_marked_read_is_recorded_before_its_first_byte_is_sent()
    {
        var (context, client) = Request("/api/v1/gebieden/BU05050101", "?peildatum=2024-06-01");
        var body = Encoding.UTF8.GetBytes("""{"code":"BU05050101","indicatoren":[]}""");

        await Middleware(s_analyst).InvokeAsync(context, async c =>
        {
            AuditedReads.Mark(c, ["zorg-2024"]);
            await c.Response.Body.WriteAsync(body, Cancel);
            await c.Response.Body.FlushAsync(Cancel);
            Assert.Equal(0, client.Length);
        });

        Assert.Equal(body, client.ToArray());
        Assert.Equal(1L, client.RecordsAtFirstWrite);
        var record = Assert.Single(await ReadAllAsync());
        Assert.Equal(
            new AuditEntry(TwinServer.Now, "acc-7f3a", "analist", "beleid", "read", "GET /api/v1/gebieden/BU05050101?peildatum=2024-06-01; datasets zorg-2024", body.Length, "bytes", "ok"),
            record.Entry);
    }

    [Fact]
    public async Task An_unmarked_response_and_a_public_callers_response_pass_straight_through_unrecorded()
    {
        var (signedIn, first) = Request("/api/v1/gebieden", "");
        var (anonymous, second) = Request("/api/v1/gebieden", "");

        await Middleware(s_analyst).InvokeAsync(signedIn, c => c.Response.Body.WriteAsync("[]"u8.ToArray(), Cancel).AsTask());
        await Middleware(Caller.Anonymous).InvokeAsync(anonymous, c =>
        {
            AuditedReads.Mark(c, ["zorg-2024"]);
            return c.Response.Body.WriteAsync("[]"u8.ToArray(), Cancel).AsTask();
        });

        Assert.Equal(("[]", "[]"), (Encoding.UTF8.GetString(first.ToArray()), Encoding.UTF8.GetString(second.ToArray())));
        Assert.Empty(await ReadAllAsync());
    }

    [Fact]
    public async Task A_marked_event_stream_is_recorded_before_its_first_event_and_then_streams_unheld()
    {
        var (context, client) = Request("/api/v1/live", "");

        await Middleware(s_analyst).InvokeAsync(context, async c =>
        {
            AuditedReads.Mark(c, ["zorg-2024"]);
            c.Response.ContentType = "text/event-stream";
            await c.Response.Body.WriteAsync("event: verbonden\n\n"u8.ToArray(), Cancel);
            await c.Response.Body.FlushAsync(Cancel);
            Assert.Equal("event: verbonden\n\n", Encoding.UTF8.GetString(client.ToArray()));
        });

        Assert.Equal(1L, client.RecordsAtFirstWrite);
        var record = Assert.Single(await ReadAllAsync());
        Assert.Equal(("GET /api/v1/live; datasets zorg-2024", 0L, "stream"), (record.Entry.Resource, record.Entry.ResultSize, record.Entry.ResultUnit));
    }

    [Fact]
    public async Task A_refused_read_is_recorded_with_its_status()
    {
        var (context, _) = Request("/api/v1/indicatoren/zorgvraag", "");

        await Middleware(s_analyst).InvokeAsync(context, c =>
        {
            AuditedReads.Mark(c, ["zorg-2024"]);
            c.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        Assert.Equal("status 404", Assert.Single(await ReadAllAsync()).Entry.Outcome);
    }

    private AuditedReads Middleware(Caller caller) =>
        new(Store.Audit, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TwinServer.Now), _ => caller);

    private (HttpContext Context, ClientStream Client) Request(string path, string query)
    {
        var client = new ClientStream(this);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Response.Body = client;
        return (context, client);
    }

    private async Task<List<AuditRecord>> ReadAllAsync()
    {
        var records = new List<AuditRecord>();
        await foreach (var record in Store.Audit.ReadAsync(AuditFilter.All, Cancel))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The records durable in the store file now, read on a connection of its own.</summary>
    private long CountDurable()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Store.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM audit_log";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>What the client receives; notes how many audit records were durable when the first byte arrived, whichever write method is used.</summary>
    private sealed class ClientStream(AuditedReadsTests owner) : MemoryStream
    {
        public long? RecordsAtFirstWrite { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            RecordsAtFirstWrite ??= owner.CountDurable();
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            RecordsAtFirstWrite ??= owner.CountDurable();
            base.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            RecordsAtFirstWrite ??= owner.CountDurable();
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            RecordsAtFirstWrite ??= owner.CountDurable();
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }
    }
}
