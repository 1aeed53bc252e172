using System.Text.Json.Nodes;
using Tweeling.Domain.Algorithms;

namespace Tweeling.Governance.Register;

/// <summary>
/// The platform's algorithm register: every declared <see cref="IRegisteredAlgorithm"/>, with its entry as
/// the deployment's <see cref="RegisterPublisher"/> publishes it. Built once; ids are unique.
/// </summary>
public sealed class AlgorithmRegistry
{
    private readonly Dictionary<string, Registration> _byId;

    /// <summary>Collects <paramref name="algorithms"/>; fails when two declare the same id or an id is not a lowercase slug.</summary>
    public AlgorithmRegistry(IEnumerable<IRegisteredAlgorithm> algorithms, RegisterPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(algorithms);
        ArgumentNullException.ThrowIfNull(publisher);
        Publisher = publisher;
        _byId = new Dictionary<string, Registration>(StringComparer.Ordinal);
        foreach (var algorithm in algorithms)
        {
            if (!IsSlug(algorithm.Id))
            {
                throw new ArgumentException($"Algorithm id '{algorithm.Id}' must be 1 to 100 lowercase letters, digits and '-'.", nameof(algorithms));
            }

            if (!_byId.TryAdd(algorithm.Id, new Registration(algorithm, algorithm.Describe(publisher))))
            {
                throw new ArgumentException($"Two algorithms declare the id '{algorithm.Id}'.", nameof(algorithms));
            }
        }

        All = [.. _byId.Values.OrderBy(r => r.Algorithm.Id, StringComparer.Ordinal)];
    }

    /// <summary>Who publishes the register.</summary>
    public RegisterPublisher Publisher { get; }

    /// <summary>Every registered algorithm, by id.</summary>
    public IReadOnlyList<Registration> All { get; }

    /// <summary>The algorithm with <paramref name="id"/>, or <c>null</c>.</summary>
    public Registration? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The register in the standard's JSON form: an array with one object per algorithm (see <see cref="RegisterDocument"/>).</summary>
    public JsonArray Export() => new([.. All.Select(r => (JsonNode?)RegisterDocument.ToJson(r.Entry))]);

    private static bool IsSlug(string id) =>
        id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && id[0] != '-';
}

/// <summary>A registered algorithm with its published entry.</summary>
/// <param name="Algorithm">The declaration.</param>
/// <param name="Entry">Its entry, completed with the publisher's organisation and contact.</param>
public sealed record Registration(IRegisteredAlgorithm Algorithm, RegisterEntry Entry)
{
    /// <summary>Every way the entry breaks the publication standard; empty when it conforms.</summary>
    public IReadOnlyList<RegisterViolation> Violations => RegisterValidator.Validate(Entry);
}
