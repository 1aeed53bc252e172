using System.Xml.Linq;

namespace Tweeling.Architecture.Tests;

/// <summary>The allowed project references of DESIGN.md §4: dependencies point inward, Server wires everything.</summary>
public static class DependencyRules
{
    public static IReadOnlyDictionary<string, string[]> Allowed { get; } = new Dictionary<string, string[]>
    {
        ["Tweeling.Domain"] = [],
        ["Tweeling.Storage"] = ["Tweeling.Domain"],
        ["Tweeling.Models"] = ["Tweeling.Domain"],
        ["Tweeling.Governance"] = ["Tweeling.Domain"],
        ["Tweeling.Ingestion"] = ["Tweeling.Domain", "Tweeling.Governance"],
        ["Tweeling.Server"] = ["Tweeling.Domain", "Tweeling.Storage", "Tweeling.Models", "Tweeling.Governance", "Tweeling.Ingestion"],
    };

    /// <summary>Packages that do I/O against a store; only the storage adapters (and Server, which wires them) may use them.</summary>
    public static IReadOnlySet<string> StoragePackages { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Npgsql", "Npgsql.NetTopologySuite" };

    /// <summary>Every violation in <paramref name="references"/> (project → referenced projects), as readable sentences.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlyList<string>> references)
    {
        var violations = new List<string>();
        foreach (var (project, targets) in references)
        {
            if (!Allowed.TryGetValue(project, out var allowed))
            {
                violations.Add($"{project} is not a project of DESIGN.md §4; add it to the rules with its allowed references.");
                continue;
            }

            violations.AddRange(targets.Where(t => !allowed.Contains(t)).Select(t => $"{project} must not reference {t}."));
        }

        return violations;
    }

    /// <summary>The project references of every project under <paramref name="srcDirectory"/>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string srcDirectory) =>
        Directory.EnumerateFiles(srcDirectory, "*.csproj", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetFileNameWithoutExtension(path)!,
            path => (IReadOnlyList<string>)[.. XDocument.Load(path).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))],
            StringComparer.Ordinal);

    /// <summary>The package references of a project file.</summary>
    public static IReadOnlyList<string> Packages(string csproj) =>
        [.. XDocument.Load(csproj).Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value)];
}
