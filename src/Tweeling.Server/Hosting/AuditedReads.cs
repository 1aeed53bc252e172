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
/// response that was not marked. A marked event stream is recorded (without a size) before its first byte
/// and then streams as usual.
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
        await using var held = new HeldResponse(original, context, datasets => RecordAsync(context, caller, datasets, 0, "stream"));
        context.Response.Body = held;
        context.Features.Set(held);
        try
        {
            await next(context);
            if (held.DatasetIds is { } datasets && !held.IsStreaming)
            {
                await RecordAsync(context, caller, datasets, held.Held.Length, "bytes");
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

    /// <summary>Appends the record of a read of <paramref name="datasets"/> and returns once it is durable.</summary>
    private Task RecordAsync(HttpContext context, Caller caller, IReadOnlyCollection<string> datasets, long size, string unit)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var resource = $"{request.Method} {request.PathBase}{request.Path}{request.QueryString}; datasets {string.Join(", ", datasets.Order(StringComparer.Ordinal))}";
        return audit.AppendAsync(
            AuditEntries.For(caller, time.GetUtcNow(), "read", resource, size, unit, status < 400 ? "ok" : $"status {status}"),
            context.RequestAborted);
    }

    /// <summary>
    /// A response body that passes writes through until <see cref="Hold"/>, and keeps them from then on. An
    /// event stream (<c>text/event-stream</c>) never ends, so it is not kept: at its first write after
    /// <see cref="Hold"/> its record (unit <c>stream</c>) is made durable, and everything passes through.
    /// </summary>
    private sealed class HeldResponse(Stream inner, HttpContext context, Func<IReadOnlyCollection<string>, Task> recordStream) : Stream
    {
        public MemoryStream Held { get; } = new();

        public IReadOnlyCollection<string>? DatasetIds { get; private set; }

        public bool IsStreaming { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Hold(IReadOnlyCollection<string> datasetIds) => DatasetIds = [.. DatasetIds ?? [], .. datasetIds];

        public override void Write(byte[] buffer, int offset, int count) => TargetAsync().AsTask().GetAwaiter().GetResult().Write(buffer, offset, count);

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            await (await TargetAsync()).WriteAsync(buffer.AsMemory(offset, count), cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await (await TargetAsync()).WriteAsync(buffer, cancellationToken);

        // A held response is flushed by the middleware once its record is durable, never before.
        public override void Flush()
        {
            if (DatasetIds is null || IsStreaming)
            {
                inner.Flush();
            }
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (await TargetAsync() == inner)
            {
                await inner.FlushAsync(cancellationToken);
            }
        }

        private async ValueTask<Stream> TargetAsync()
        {
            if (DatasetIds is null || IsStreaming)
            {
                return inner;
            }

            if (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
            {
                await recordStream(DatasetIds);
                IsStreaming = true;
                return inner;
            }

            return Held;
        }

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
