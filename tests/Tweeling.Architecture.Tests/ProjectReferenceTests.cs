using Tweeling.TestSupport;

namespace Tweeling.Architecture.Tests;

public sealed class ProjectReferenceTests
{
    private static readonly string s_src = Path.Combine(Repository.Root, "src");

    [Fact]
    public void Every_project_reference_points_inward_as_DESIGN_section_4_allows()
    {
        var references = DependencyRules.Read(s_src);

        Assert.Contains("Tweeling.Domain", references.Keys);
        Assert.Contains("Tweeling.Server", references.Keys);
        Assert.Empty(DependencyRules.Violations(references));
    }

    [Fact]
    public void The_domain_references_no_project_and_no_storage_package()
    {
        var domain = Path.Combine(s_src, "Tweeling.Domain", "Tweeling.Domain.csproj");

        Assert.Empty(DependencyRules.Read(Path.GetDirectoryName(domain)!)["Tweeling.Domain"]);
        Assert.DoesNotContain(DependencyRules.Packages(domain), p => p.StartsWith("Microsoft.Data.", StringComparison.Ordinal) || DependencyRules.StoragePackages.Contains(p));
    }

    [Fact]
    public void Only_storage_and_server_use_database_packages()
    {
        foreach (var csproj in Directory.EnumerateFiles(s_src, "*.csproj", SearchOption.AllDirectories))
        {
            var project = Path.GetFileNameWithoutExtension(csproj);
            if (project is "Tweeling.Storage" or "Tweeling.Server")
            {
                continue;
            }

            Assert.DoesNotContain(DependencyRules.Packages(csproj), DependencyRules.StoragePackages.Contains);
        }
    }

    [Theory]
    [InlineData("Tweeling.Domain", "Tweeling.Storage")]
    [InlineData("Tweeling.Storage", "Tweeling.Governance")]
    [InlineData("Tweeling.Models", "Tweeling.Storage")]
    [InlineData("Tweeling.Governance", "Tweeling.Ingestion")]
    [InlineData("Tweeling.Ingestion", "Tweeling.Storage")]
    [InlineData("Tweeling.Storage", "Tweeling.Server")]
    public void A_reference_that_points_the_wrong_way_is_reported(string project, string target)
    {
        var references = new Dictionary<string, IReadOnlyList<string>> { [project] = [target] };

        Assert.Equal([$"{project} must not reference {target}."], DependencyRules.Violations(references));
    }

    [Fact]
    public void A_project_outside_the_design_is_reported()
    {
        var violations = DependencyRules.Violations(new Dictionary<string, IReadOnlyList<string>> { ["Tweeling.Helpers"] = [] });

        Assert.Single(violations);
    }
}
