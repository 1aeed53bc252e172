using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;

namespace Tweeling.Server.Hosting;

/// <summary>
/// An observation store whose every append carries the audit record that <paramref name="record"/> makes of
/// it, committed in the append's own transaction: for a writer that appends through code it does not own
/// (the demo feed appends through <c>DemoFeed.CatchUpAsync</c>), so its appends are recorded as every other
/// change is. Reads go straight to <paramref name="inner"/>.
/// </summary>
internal sealed class AuditedAppends(IObservationStore inner, Func<IReadOnlyList<NewObservation>, AuditEntry> record) : ObservationStoreDecorator(inner)
{
    public override Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewObservation> observations, IReadOnlyList<AuditEntry> audit, CancellationToken cancellationToken) =>
        Inner.AppendAsync(observations, [.. audit, record(observations)], cancellationToken);
}
