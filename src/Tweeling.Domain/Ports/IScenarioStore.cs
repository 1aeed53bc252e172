using Tweeling.Domain.Audit;
using Tweeling.Domain.Scenarios;

namespace Tweeling.Domain.Ports;

/// <summary>
/// Scenarios as immutable, numbered versions: creating makes version 1, an update makes the next version, and a
/// stored version never changes. Every write is one all-or-nothing unit with its audit record, when one is given.
/// </summary>
public interface IScenarioStore
{
    /// <summary>Stores <paramref name="draft"/> as version 1 of a new scenario, created at <paramref name="at"/>.</summary>
    Task<ScenarioVersion> CreateAsync(ScenarioDraft draft, DateTimeOffset at, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="draft"/> as the next version of scenario <paramref name="scenarioId"/>; <c>null</c> (and
    /// nothing stored) when there is no such scenario.
    /// </summary>
    Task<ScenarioVersion?> UpdateAsync(long scenarioId, ScenarioDraft draft, DateTimeOffset at, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>Deletes scenario <paramref name="scenarioId"/> with every version; returns whether it existed.</summary>
    Task<bool> DeleteAsync(long scenarioId, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>Version <paramref name="version"/> of the scenario, its latest version when <c>null</c>, or <c>null</c> when either does not exist.</summary>
    Task<ScenarioVersion?> FindAsync(long scenarioId, int? version, CancellationToken cancellationToken);

    /// <summary>The latest version of every scenario, by ascending id.</summary>
    Task<IReadOnlyList<ScenarioVersion>> ListAsync(CancellationToken cancellationToken);
}
