using System.CommandLine;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tweeling.Server.Cli;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.Ogc;

namespace Tweeling.Server.Tests.Access;

/// <summary>The role × endpoint matrix in <c>docs/security.md</c> is the one the code declares, and every command-line verb declares a rule.</summary>
public sealed class AccessMatrixDocumentTests(SensorCollectionServer fixture) : IClassFixture<SensorCollectionServer>
{
    [Fact]
    public async Task The_committed_matrix_is_the_generated_one()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "security.md");
        var committed = AccessMatrix.Extract((await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n"));

        var generated = AccessMatrix.Markdown(fixture.Server.Services.GetRequiredService<EndpointDataSource>());

        Assert.True(committed == generated, $"docs/security.md is out of date; run 'tweeling toegang matrix --update docs/security.md'. Generated:\n{generated}");
    }

    [Fact]
    public void Every_command_line_verb_declares_an_access_rule()
    {
        static IEnumerable<string> Leaves(Command command, string prefix) => command.Subcommands.Count == 0
            ? [prefix]
            : command.Subcommands.SelectMany(c => Leaves(c, prefix.Length == 0 ? c.Name : $"{prefix} {c.Name}"));

        var verbs = Leaves(TweelingCli.Root(), "").Order(StringComparer.Ordinal);

        Assert.Equal(verbs, TweelingCli.CommandRules.Select(c => c.Verb).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Replacing_the_generated_part_keeps_the_rest_of_the_document()
    {
        var document = $"# Titel\n\nVoor.\n\n{AccessMatrix.Begin}\noud\n{AccessMatrix.End}\n\nNa.\n";

        var replaced = AccessMatrix.Replace(document, $"{AccessMatrix.Begin}\nnieuw\n{AccessMatrix.End}\n");

        Assert.Equal($"# Titel\n\nVoor.\n\n{AccessMatrix.Begin}\nnieuw\n{AccessMatrix.End}\n\nNa.\n", replaced);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tweeling.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Tweeling.slnx above {AppContext.BaseDirectory}.");
    }
}
