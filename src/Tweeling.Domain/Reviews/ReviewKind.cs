namespace Tweeling.Domain.Reviews;

/// <summary>The kinds of review recorded for a dataset, algorithm or living-lab experiment (DESIGN.md C6).</summary>
public enum ReviewKind
{
    /// <summary>Data protection impact assessment after the Rijksmodel DPIA (sections 1–17 in parts A–D).</summary>
    Dpia,

    /// <summary>Impact Assessment Mensenrechten en Algoritmes (parts 1, 2A, 2B, 3 and 4).</summary>
    Iama,

    /// <summary>The ethics committee's review.</summary>
    EthicsCommittee,
}
