namespace Tweeling.TestSupport;

/// <summary>The repository the tests run from: the folder above the test binaries that holds <c>Tweeling.slnx</c>.</summary>
public static class Repository
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = Locate()
        ?? throw new InvalidOperationException("Tweeling.slnx not found above " + AppContext.BaseDirectory);

    /// <summary>The root, or <c>null</c> when the binaries do not run from inside the repository.</summary>
    internal static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tweeling.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
