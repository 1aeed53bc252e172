using System.CommandLine;
using Spectre.Console;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Cli;

/// <summary><c>tweeling toegang matrix</c>: the role × endpoint matrix, generated from the access rules in the code.</summary>
internal static class ToegangCommand
{
    private static readonly Option<FileInfo?> s_update = new("--update")
    {
        Description = "Rewrite the generated part of this Markdown file (e.g. docs/security.md) instead of printing it.",
    };

    public static Command Create()
    {
        var matrix = new Command("matrix", "Print the role × endpoint access matrix as Markdown, as docs/security.md holds it.") { s_update };
        matrix.SetAction((result, cancellationToken) => RunAsync(result.GetValue(s_update), cancellationToken));
        return new Command("toegang", "The access policy: which role may call which endpoint.") { matrix };
    }

    private static async Task<int> RunAsync(FileInfo? update, CancellationToken cancellationToken)
    {
        if (update is not null && !update.Exists)
        {
            TweelingCli.Error($"{update.FullName}: no such file; --update rewrites the generated part of an existing document.");
            return TweelingCli.UserError;
        }

        // The endpoints exist only in a built application, which needs a store: a throwaway one, never started.
        var directory = Directory.CreateTempSubdirectory("tweeling-toegang-");
        try
        {
            string generated;
            await using (var store = await SqliteTwinStore.OpenAsync(Path.Combine(directory.FullName, "matrix.db"), TwinHost.GeometryServices, cancellationToken))
            await using (var app = TwinHost.Build(store, "http://127.0.0.1:0", TimeProvider.System, demoFeed: false))
            {
                // The routes as mapped; the service container's data source fills only when the app starts.
                generated = AccessMatrix.Markdown(new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources));
            }

            if (update is null)
            {
                Console.Out.Write(generated);
                return 0;
            }

            var document = await File.ReadAllTextAsync(update.FullName, cancellationToken);
            await File.WriteAllTextAsync(update.FullName, AccessMatrix.Replace(document.ReplaceLineEndings("\n"), generated), cancellationToken);
            TweelingCli.Terminal.WriteLine($"Updated the access matrix in {update.FullName}.");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
