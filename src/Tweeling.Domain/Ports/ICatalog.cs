using Tweeling.Domain.Catalog;

namespace Tweeling.Domain.Ports;

/// <summary>Reads the dataset catalog.</summary>
public interface ICatalog
{
    /// <summary>Every dataset, ordered by id.</summary>
    Task<IReadOnlyList<Dataset>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The dataset with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<Dataset?> FindAsync(string id, CancellationToken cancellationToken);
}
