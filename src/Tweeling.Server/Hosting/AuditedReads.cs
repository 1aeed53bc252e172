using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Records every read of non-open data in the audit log before the response leaves the server: the one seam
/// for all read endpoints, so no handler records anything itself (docs/audit.md).
/// </summary>
/// <remarks>
/// <see cref="ReadAccess.ReadableDatasetsAsync"/> — which every read of dataset data asks — calls
/// <see cref="Mark"/> when it grants the caller a dataset that is not open. From then on the response is held
/// in memory; when the handler is done the record (caller, path, the non-open datasets, response bytes,
/// status) is appended durably and only then is the response sent. If the append fails, nothing is sent and
/// the request fails: a read of non-open data never goes unrecorded. Public callers can read open data only
/// (<see cref="AccessPolicy"/>), so their requests pass straight through at no cost, and so does every
/// response that was not marked, such as the live event stream.
/// </remarks>
/// <param name="audit">The audit log.</param>
/// <param name="time">The clock of the record's time.</param>
/// <param name="callerOf">Who calls (<see cref="ReadAccess.CallerOf"/> in the server).</param>
internal sealed class AuditedReads(IAuditLog audit, TimeProvider time, Func<HttpContext, Caller> callerOf)
{
    /// <summary>Notes that the response of <paramref name="context"/> draws on the non-open <paramref name="datasetIds"/>.</summary>
    public static void Mark(HttpContext context, IReadOnlyCollection<string> datasetIds)
    {
        if (context.Features.Get<HeldResponse>() is { } held)
        {
            held.Hold(datasetIds);
        }
    }

    /// <summary>The middleware: see the remarks of <see cref="AuditedReads"/>.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var caller = callerOf(context);
        if (caller.Role == Role.Publiek)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        await using var held = new HeldResponse(original);
        context.Response.Body = held;
        context.Features.Set(held);
        try
        {
            await next(context);
            if (held.DatasetIds is { } datasets)
            {
                var request = context.Request;
                var status = context.Response.StatusCode;
                var resource = $"{request.Method} {request.PathBase}{request.Path}{request.QueryString}; datasets {string.Join(", ", datasets.Order(StringComparer.Ordinal))}";
                await audit.AppendAsync(
                    AuditEntries.For(caller, time.GetUtcNow(), "read", resource, held.Held.Length, "bytes", status < 400 ? "ok" : $"status {status}"),
                    context.RequestAborted);
                held.Held.Position = 0;
                await held.Held.CopyToAsync(original, context.RequestAborted);
            }
        }
        finally
        {
            context.Response.Body = original;
            context.Features.Set<HeldResponse>(null);
        }
    }

    /// <summary>A response body that passes writes through until <see cref="Hold"/>, and keeps them from then on.</summary>
    private sealed class HeldResponse(Stream inner) : Stream
    {
        public MemoryStream Held { get; } = new();

        public IReadOnlyCollection<string>? DatasetIds { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Hold(IReadOnlyCollection<string> datasetIds) => DatasetIds = [.. DatasetIds ?? [], .. datasetIds];

        private Stream Target => DatasetIds is null ? inner : Held;

        public override void Write(byte[] buffer, int offset, int count) => Target.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Target.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Target.WriteAsync(buffer, cancellationToken);

        // A held response is flushed by the middleware once its record is durable, never before.
        public override void Flush()
        {
            if (DatasetIds is null)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => DatasetIds is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Held.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await Held.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
