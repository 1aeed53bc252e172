namespace Tweeling.TestSupport;

/// <summary>
/// Finds the real open Dordrecht data (shared/data) that tests import: at <c>TWEELING_REAL_DATA</c>, or
/// at <c>../shared/data</c> beside the repository. The data is never copied into the repository.
/// </summary>
public static class RealData
{
    /// <summary>The data folder, or <c>null</c> when the machine does not have it.</summary>
    public static string? Directory { get; } = Locate();

    /// <summary>Why real-data tests are skipped on this machine, or <c>null</c> when the data is present.</summary>
    public static string? SkipReason => Directory is null
        ? "The real Dordrecht data (../shared/data or TWEELING_REAL_DATA) is not on this machine; CI always has it."
        : null;

    /// <summary>The full path of <paramref name="relativePath"/> inside the data folder; fails when the data is absent.</summary>
    public static string File(string relativePath) =>
        Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), relativePath);

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("TWEELING_REAL_DATA");
        if (!string.IsNullOrEmpty(configured))
        {
            return System.IO.Directory.Exists(configured) ? configured : null;
        }

        if (Repository.Locate() is { } root)
        {
            var candidate = Path.Combine(root, "..", "shared", "data");
            return System.IO.Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
        }

        return null;
    }
}
