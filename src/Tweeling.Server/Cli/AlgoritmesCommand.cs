using System.CommandLine;
using Spectre.Console;
using Tweeling.Governance.Audit;
using Tweeling.Governance.Register;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Cli;

/// <summary>
/// <c>tweeling algoritmes list|export|enable|disable</c>: the algorithm register. Enabling is refused, storing
/// nothing, while the entry breaks the publication standard or a required review is not approved; the
/// command line is the way to switch algorithms until the API has signed-in roles.
/// </summary>
internal static class AlgoritmesCommand
{
    private static readonly Argument<string> s_id = new("id") { Description = "The algorithm's id, as 'tweeling algoritmes list' shows it." };

    private static readonly Option<string?> s_output = new("--output") { Description = "Write the export to this file instead of standard output." };

    private static readonly Option<string> s_by = new("--by")
    {
        Description = "Your pseudonymous id, recorded with the switch (no name or e-mail address).",
        DefaultValueFactory = _ => "command-line",
    };

    public static Command Create()
    {
        var list = new Command("list", "List the registered algorithms, whether each is enabled, and what stands in the way.");
        list.SetAction((result, cancellationToken) => ListAsync(result.GetValue(TweelingCli.Store)!, cancellationToken));

        var export = new Command("export", "Export every entry as the JSON of the Algoritmeregister publication standard v1.0.0.") { s_output };
        export.SetAction((result, cancellationToken) => ExportAsync(result.GetValue(s_output), cancellationToken));

        var enable = new Command("enable", "Enable an algorithm; refused while its entry or its required approvals are incomplete.") { s_id, s_by };
        enable.SetAction((result, cancellationToken) => SwitchAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_id)!, result.GetValue(s_by)!, true, cancellationToken));

        var disable = new Command("disable", "Disable an algorithm.") { s_id, s_by };
        disable.SetAction((result, cancellationToken) => SwitchAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_id)!, result.GetValue(s_by)!, false, cancellationToken));

        return new Command("algoritmes", "The algorithm register (/api/v1/algoritmes): entries, export, enabling.") { list, export, enable, disable };
    }

    private static async Task<int> ListAsync(string storePath, CancellationToken cancellationToken)
    {
        if (Registry() is not { } registry)
        {
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            var table = new Table().AddColumns("id", "name", "status", "enabled", "obstacles");
            foreach (var registration in registry.All)
            {
                var state = await AlgorithmGate.StateAsync(registration, store.Reviews, today, cancellationToken);
                table.AddRow(
                    Markup.Escape(registration.Algorithm.Id), Markup.Escape(registration.Entry.Name), Markup.Escape(registration.Entry.Status),
                    state.Enabled ? "yes" : "no", Markup.Escape(state.Obstacles.Count == 0 ? "-" : string.Join(Environment.NewLine, state.Obstacles)));
            }

            TweelingCli.Terminal.Write(table);
            return 0;
        }
    }

    private static async Task<int> ExportAsync(string? output, CancellationToken cancellationToken)
    {
        if (Registry() is not { } registry)
        {
            return TweelingCli.UserError;
        }

        var json = registry.Export().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = JsonOutput.Encoder });
        if (output is null)
        {
            await Console.Out.WriteLineAsync(json.AsMemory(), cancellationToken);
            return 0;
        }

        try
        {
            await File.WriteAllTextAsync(output, json + "\n", cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TweelingCli.Error($"--output: cannot write {output}: {e.Message}");
            return TweelingCli.EnvironmentError;
        }

        Console.Out.WriteLine($"Exported {registry.All.Count} entries to {output}.");
        return 0;
    }

    private static async Task<int> SwitchAsync(string storePath, string id, string by, bool enable, CancellationToken cancellationToken)
    {
        if (Registry() is not { } registry)
        {
            return TweelingCli.UserError;
        }

        if (registry.Find(id) is not { } registration)
        {
            TweelingCli.Error($"there is no algorithm '{id}' in the register; known: {string.Join(", ", registry.All.Select(r => r.Algorithm.Id))}.");
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var now = TimeProvider.System.GetUtcNow();
            var audit = AuditEntries.For(AuditEntries.CommandLineOperator, now, "update", $"tweeling algoritmes {(enable ? "enable" : "disable")}: {id}", 1, "algorithms");
            if (!enable)
            {
                await AlgorithmGate.DisableAsync(registration, store.Reviews, by, now, audit, cancellationToken);
                Console.Out.WriteLine($"Disabled algorithm {id}.");
                return 0;
            }

            var obstacles = await AlgorithmGate.EnableAsync(registration, store.Reviews, by, now, audit, cancellationToken);
            if (obstacles.Count > 0)
            {
                TweelingCli.Error($"algorithm {id} cannot be enabled:{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", obstacles)}");
                return TweelingCli.UserError;
            }

            Console.Out.WriteLine($"Enabled algorithm {id}.");
            return 0;
        }
    }

    /// <summary>The register as configured, or <c>null</c> after reporting a configuration the register cannot use.</summary>
    private static AlgorithmRegistry? Registry()
    {
        var options = RegisterOptions.Load();
        if (string.IsNullOrWhiteSpace(options.Organisatie) || string.IsNullOrWhiteSpace(options.Contact))
        {
            TweelingCli.Error($"set the publishing organisation and contact ({RegisterOptions.Section}:Organisatie and :Contact, e.g. the environment variable Tweeling__Register__Organisatie).");
            return null;
        }

        return PlatformAlgorithms.Registry(options);
    }

    /// <summary>The register as the command line uses it, for commands that check algorithm ids.</summary>
    public static AlgorithmRegistry? ConfiguredRegistry() => Registry();
}
