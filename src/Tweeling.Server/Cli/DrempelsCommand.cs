using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tweeling.Domain.Alerts;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Audit;

namespace Tweeling.Server.Cli;

/// <summary>
/// <c>tweeling drempels add|list|remove</c>: the thresholds that raise alerts on sensor Datastreams. The
/// command line is the way to change them until the API has roles to decide who may; a running server
/// picks a change up within <see cref="AlertMonitor.RevisionCheckInterval"/>.
/// </summary>
internal static class DrempelsCommand
{
    private static readonly Option<string?> s_datastream = new("--datastream") { Description = "The SensorThings Datastream id the threshold judges." };

    private static readonly Option<string?> s_name = new("--name") { Description = "What the threshold guards, e.g. \"Drukte Grote Markt\"." };

    private static readonly Option<string?> s_above = new("--above") { Description = "Raise an alert when a result is greater than this value (in the Datastream's unit)." };

    private static readonly Option<string?> s_below = new("--below") { Description = "Raise an alert when a result is less than this value." };

    private static readonly Option<string?> s_equals = new("--equals") { Description = "Raise an alert when a result equals this status value (e.g. 2 for a pump failure); any other value clears it." };

    private static readonly Option<string?> s_clearAt = new("--clear-at")
    {
        Description = "Hysteresis: the level a result must return to before the alert clears (at most --above, at least --below); default: the threshold itself.",
    };

    private static readonly Option<string> s_severity = new("--severity")
    {
        Description = "info, warning or critical.",
        DefaultValueFactory = _ => "warning",
    };

    private static readonly Option<string?> s_filter = new("--datastream") { Description = "Only the thresholds of this Datastream id." };

    private static readonly Argument<string> s_id = new("id") { Description = "The threshold's id, as 'tweeling drempels list' shows it." };

    public static Command Create()
    {
        var add = new Command("add", "Add a threshold to a Datastream: exactly one of --above, --below or --equals.")
        {
            s_datastream, s_name, s_above, s_below, s_equals, s_clearAt, s_severity,
        };
        add.SetAction((result, cancellationToken) => AddAsync(
            result.GetValue(TweelingCli.Store)!,
            new AddArguments(result.GetValue(s_datastream), result.GetValue(s_name), result.GetValue(s_above), result.GetValue(s_below), result.GetValue(s_equals), result.GetValue(s_clearAt), result.GetValue(s_severity)!),
            cancellationToken));

        var list = new Command("list", "List the thresholds with their conditions.") { s_filter };
        list.SetAction((result, cancellationToken) => ListAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_filter), cancellationToken));

        var remove = new Command("remove", "Remove a threshold; its alert history stays, and an open alert is closed.") { s_id };
        remove.SetAction((result, cancellationToken) => RemoveAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_id)!, cancellationToken));

        return new Command("drempels", "Thresholds on sensor Datastreams that raise alerts (/api/v1/drempels, /api/v1/alarmen).") { add, list, remove };
    }

    private static async Task<int> AddAsync(string storePath, AddArguments arguments, CancellationToken cancellationToken)
    {
        if (Parse(arguments) is not { } threshold)
        {
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            try
            {
                var added = await store.Alerts.AddThresholdAsync(
                    threshold, t => AuditEntries.For(AuditEntries.CommandLineOperator, TimeProvider.System.GetUtcNow(), "create", $"tweeling drempels add: drempel {t.Id} on Datastream {t.DatastreamId}", 1, "thresholds"), cancellationToken);
                Console.Out.WriteLine($"Added threshold {added.Id} on Datastream {added.DatastreamId}: {Describe(added)}.");
                return 0;
            }
            catch (SensorLinkException)
            {
                TweelingCli.Error($"--datastream: there is no Datastream with id {threshold.DatastreamId} in {store.Path}.");
                return TweelingCli.UserError;
            }
        }
    }

    private static async Task<int> ListAsync(string storePath, string? datastreamText, CancellationToken cancellationToken)
    {
        long? datastream = null;
        if (datastreamText is not null)
        {
            if (Id(datastreamText, "--datastream") is not { } id)
            {
                return TweelingCli.UserError;
            }

            datastream = id;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var thresholds = await store.Alerts.ListThresholdsAsync(datastream, cancellationToken);
            if (thresholds.Count == 0)
            {
                Console.Out.WriteLine($"The store {store.Path} has no thresholds{(datastream is null ? "" : $" on Datastream {datastream}")}. Add one with 'tweeling drempels add'.");
                return 0;
            }

            var table = new Table().AddColumns("id", "datastream", "name", "condition", "severity");
            foreach (var t in thresholds)
            {
                table.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), t.DatastreamId.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Name), Markup.Escape(Describe(t)), t.Severity.ToString().ToLowerInvariant());
            }

            TweelingCli.Terminal.Write(table);
            return 0;
        }
    }

    private static async Task<int> RemoveAsync(string storePath, string idText, CancellationToken cancellationToken)
    {
        if (Id(idText, "id") is not { } id)
        {
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var now = TimeProvider.System.GetUtcNow();
            if (!await store.Alerts.RemoveThresholdAsync(id, now, AuditEntries.For(AuditEntries.CommandLineOperator, now, "delete", $"tweeling drempels remove: drempel {id}", 1, "thresholds"), cancellationToken))
            {
                TweelingCli.Error($"id: there is no threshold {id} in {store.Path}; 'tweeling drempels list' shows them.");
                return TweelingCli.UserError;
            }

            Console.Out.WriteLine($"Removed threshold {id}; its alert history stays.");
            return 0;
        }
    }

    /// <summary>The threshold the arguments describe, or <c>null</c> after reporting the first bad one by name.</summary>
    private static Threshold? Parse(AddArguments a)
    {
        if (a.Datastream is null)
        {
            TweelingCli.Error("--datastream is required: the id of the Datastream to judge.");
            return null;
        }

        if (Id(a.Datastream, "--datastream") is not { } datastream)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(a.Name))
        {
            TweelingCli.Error("--name is required: say what the threshold guards.");
            return null;
        }

        var conditions = new (string Option, string? Text, ThresholdCondition Condition)[]
        {
            ("--above", a.Above, ThresholdCondition.Above), ("--below", a.Below, ThresholdCondition.Below), ("--equals", a.EqualTo, ThresholdCondition.Equal),
        }.Where(c => c.Text is not null).ToList();
        if (conditions.Count != 1)
        {
            TweelingCli.Error($"give exactly one of --above, --below or --equals; got {(conditions.Count == 0 ? "none" : string.Join(" and ", conditions.Select(c => c.Option)))}.");
            return null;
        }

        var (option, text, condition) = conditions[0];
        if (Number(text!, option) is not { } value)
        {
            return null;
        }

        double? clearAt = null;
        if (a.ClearAt is not null)
        {
            if (Number(a.ClearAt, "--clear-at") is not { } clear)
            {
                return null;
            }

            clearAt = clear;
        }

        AlertSeverity? severity = a.Severity switch
        {
            "info" => AlertSeverity.Info,
            "warning" => AlertSeverity.Warning,
            "critical" => AlertSeverity.Critical,
            _ => null,
        };
        if (severity is null)
        {
            TweelingCli.Error($"--severity must be info, warning or critical; got '{a.Severity}'.");
            return null;
        }

        try
        {
            return new Threshold(0, datastream, a.Name, condition, value, severity.Value, clearAt);
        }
        catch (ArgumentException e)
        {
            var name = e.ParamName switch
            {
                "clearValue" => "--clear-at",
                "name" => "--name",
                _ => option,
            };
            // The domain's message without the " (Parameter 'clearValue')" that names the C# parameter.
            var message = e.Message.Split(" (Parameter", 2)[0];
            TweelingCli.Error($"{name}: {message}");
            return null;
        }
    }

    private static long? Id(string text, string option)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        TweelingCli.Error($"{option} must be an id (a positive whole number); got '{text}'.");
        return null;
    }

    private static double? Number(string text, string option)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        TweelingCli.Error($"{option} must be a number with a decimal point (e.g. 2.5); got '{text}'.");
        return null;
    }

    private static string Describe(Threshold t) => t.Condition switch
    {
        ThresholdCondition.Above => Format($"above {t.Value}") + (t.ClearValue < t.Value ? Format($", clears at or below {t.ClearValue}") : ""),
        ThresholdCondition.Below => Format($"below {t.Value}") + (t.ClearValue > t.Value ? Format($", clears at or above {t.ClearValue}") : ""),
        _ => Format($"equal to {t.Value}"),
    };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The options of <c>drempels add</c>, as typed.</summary>
    private sealed record AddArguments(string? Datastream, string? Name, string? Above, string? Below, string? EqualTo, string? ClearAt, string Severity);
}
