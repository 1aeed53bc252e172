using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tweeling.Domain.Ports;

namespace Tweeling.Server.Hosting;

/// <summary>Ready when the store answers a read.</summary>
internal sealed class StoreHealthCheck(IFeatureStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var empty = await store.IsEmptyAsync(cancellationToken);
            return HealthCheckResult.Healthy(empty ? "The store is empty." : "The store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", e);
        }
    }
}
