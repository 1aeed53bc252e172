using System.CommandLine;
using Spectre.Console;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;

namespace Tweeling.Server.Cli;

/// <summary><c>tweeling datasets</c>: lists the catalog of a store.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List the datasets in the store's catalog with their classification and source.");
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(TweelingCli.Store)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string storePath, CancellationToken cancellationToken)
    {
        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            // The command line is an operator's tool on the store itself; it still asks the access
            // policy, as the local operator, so it goes through the same seam as every API read.
            var datasets = (await ((ICatalog)store).ListAsync(cancellationToken)).Where(d => AccessPolicy.CanRead(TweelingCli.LocalOperator, d)).ToList();
            if (datasets.Count == 0)
            {
                TweelingCli.Terminal.WriteLine($"The store {store.Path} has no datasets. Import one with 'tweeling import <kind> <file>' or run 'tweeling demo'.");
                return 0;
            }

            var table = new Table().AddColumns("id", "titel", "classificatie", "synthetisch", "gewijzigd");
            foreach (var d in datasets)
            {
                table.AddRow(
                    Markup.Escape(d.Id),
                    Markup.Escape(d.Title),
                    d.Classification.ToString(),
                    d.IsSynthetic ? "ja" : "nee",
                    d.Modified.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }

            TweelingCli.Terminal.Write(table);
        }

        return 0;
    }
}
