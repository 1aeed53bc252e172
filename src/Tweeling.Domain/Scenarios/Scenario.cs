namespace Tweeling.Domain.Scenarios;

/// <summary>What a caller submits to create a scenario or to make its next version.</summary>
/// <param name="Name">A short name (1–200 characters).</param>
/// <param name="Description">What the scenario explores, or <c>null</c>.</param>
/// <param name="ReferenceDate">The baseline's reference date (peildatum): the city as it was on that day is what the interventions change.</param>
/// <param name="Interventions">The changes to the baseline, in the order they are applied.</param>
public sealed record ScenarioDraft(string Name, string? Description, DateOnly ReferenceDate, IReadOnlyList<Intervention> Interventions);

/// <summary>
/// One immutable version of a scenario: a named delta over the baseline. An update makes version n+1; version n
/// never changes, so a result computed for (id, version) can always be reproduced.
/// </summary>
/// <param name="ScenarioId">The scenario's id.</param>
/// <param name="Version">The version number, from 1.</param>
/// <param name="Name">The name of this version.</param>
/// <param name="Description">Its description, or <c>null</c>.</param>
/// <param name="ReferenceDate">The baseline's reference date.</param>
/// <param name="Interventions">The interventions, in RD New.</param>
/// <param name="ContentHash">
/// The SHA-256 (lowercase hex) of the canonical JSON of the interventions and the reference date
/// (<see cref="ScenarioContent.Canonical"/>): equal content, equal hash — whatever the name, id or version.
/// </param>
/// <param name="CreatedAt">When the version was stored.</param>
public sealed record ScenarioVersion(
    long ScenarioId,
    int Version,
    string Name,
    string? Description,
    DateOnly ReferenceDate,
    IReadOnlyList<Intervention> Interventions,
    string ContentHash,
    DateTimeOffset CreatedAt);
