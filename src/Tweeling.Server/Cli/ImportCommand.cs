using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tweeling.Domain.Geo;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;
using Tweeling.Ingestion.Importers;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Cli;

/// <summary><c>tweeling import &lt;kind&gt; &lt;file&gt;</c>: imports one file, all or nothing.</summary>
internal static class ImportCommand
{
    private static readonly Argument<string> s_kind = new("kind")
    {
        Description = "What the file holds: " + string.Join(", ", Importers.All.Select(i => i.Kind)) + ".",
    };

    private static readonly Argument<FileInfo> s_file = new("file") { Description = "The file to import." };

    private static readonly Option<string?> s_validFrom = new("--valid-from")
    {
        Description = "When the imported data begins to be valid (yyyy-MM-dd); default: taken from the file, else today.",
    };

    private static readonly Option<string?> s_dataset = new("--dataset")
    {
        Description = "Catalog id to register the data under; default: derived from kind and file name.",
    };

    public static Command Create()
    {
        var kinds = string.Join(Environment.NewLine, Importers.All.Select(i => $"  {i.Kind,-16} {i.Description}"));
        var command = new Command("import", "Import a file into the store in one transaction: a bad file changes nothing." + Environment.NewLine + "Kinds:" + Environment.NewLine + kinds)
        {
            s_kind,
            s_file,
            s_validFrom,
            s_dataset,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_kind)!, result.GetValue(s_file)!, result.GetValue(s_validFrom), result.GetValue(s_dataset), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string storePath, string kind, FileInfo file, string? validFromText, string? datasetId, CancellationToken cancellationToken)
    {
        if (Importers.Find(kind) is not { } importer)
        {
            TweelingCli.Error($"unknown kind '{kind}'. Known kinds: {string.Join(", ", Importers.All.Select(i => i.Kind))}.");
            return TweelingCli.UserError;
        }

        DateTimeOffset? validFrom = null;
        if (validFromText is not null)
        {
            if (!DateOnly.TryParseExact(validFromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                TweelingCli.Error($"--valid-from must be a date as yyyy-MM-dd; got '{validFromText}'.");
                return TweelingCli.UserError;
            }

            validFrom = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            try
            {
                ImportResult? result = null;
                await TweelingCli.Terminal.Progress().AutoClear(true).StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{importer.Kind}: {file.Name}");
                    var reporter = new Progress<ImportProgress>(p =>
                    {
                        task.Description = $"{importer.Kind}: {p.Stage}";
                        task.MaxValue = Math.Max(1, p.Total ?? p.Done);
                        task.Value = p.Done;
                    });
                    var audited = new AuditedTwinWriter(store, written => AuditEntries.For(
                        new Caller(Role.Beheerder, Subject: AuditEntries.CommandLineSubject),
                        TimeProvider.System.GetUtcNow(),
                        "import",
                        $"tweeling import {importer.Kind}: dataset {string.Join(", ", written.DatasetIds)}",
                        written.Features > 0 ? written.Features : written.IndicatorValues,
                        written.Features > 0 ? "features" : "indicator-values"));
                    var context = new ImportContext(store, audited, new CrsTransformer(TwinHost.GeometryServices), TimeProvider.System, reporter);
                    result = await importer.ImportAsync(new ImportRequest(file.FullName, validFrom, datasetId), context, cancellationToken);
                    task.Value = task.MaxValue;
                });
                var counts = string.Join(", ", result!.FeaturesPerCollection.Select(c => $"{c.Value} {c.Key}"));
                TweelingCli.Terminal.MarkupLineInterpolated(
                    $"Imported {file.Name} as dataset [bold]{result.DatasetId}[/]: {(counts.Length == 0 ? "no features" : counts)}, {result.IndicatorValues} indicator values, {result.Skipped} records skipped.");
                return 0;
            }
            catch (ImportException e)
            {
                TweelingCli.Error(e.Message + " Nothing was imported.");
                return TweelingCli.UserError;
            }
        }
    }
}
