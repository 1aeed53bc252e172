namespace Tweeling.Storage;

/// <summary>The store at a path cannot be opened, created or written.</summary>
public sealed class StoreUnavailableException(string path, string reason, Exception? inner = null)
    : Exception($"The store '{path}' cannot be used: {reason}", inner)
{
    /// <summary>The store's path or connection target.</summary>
    public string StorePath { get; } = path;
}
