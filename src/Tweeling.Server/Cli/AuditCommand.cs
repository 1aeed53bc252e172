using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tweeling.Domain.Audit;
using Tweeling.Governance.Access;
using Tweeling.Governance.Audit;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Cli;

/// <summary>
/// <c>tweeling audit verify|export</c>: checks the audit log's hash chain, and exports it for the data
/// protection officer (docs/audit.md).
/// </summary>
internal static class AuditCommand
{
    /// <summary>Exit code of <c>verify</c> when the log was tampered with (or cut off, with <c>--expect-head</c>).</summary>
    public const int Tampered = 4;

    private static readonly Option<string?> s_expectHead = new("--expect-head")
    {
        Description = "A head hash recorded earlier (64 hex digits): the log must end at it, which also reveals records cut off the end.",
    };

    private static readonly Option<string?> s_from = new("--from") { Description = "Only records at or after this time (yyyy-MM-dd, or an ISO 8601 instant such as 2026-03-01T12:00:00Z)." };

    private static readonly Option<string?> s_to = new("--to") { Description = "Only records before this time (yyyy-MM-dd, or an ISO 8601 instant)." };

    private static readonly Option<string?> s_subject = new("--subject") { Description = "Only the records of this pseudonymous subject id." };

    private static readonly Option<string> s_format = new("--format")
    {
        Description = "json or csv.",
        DefaultValueFactory = _ => "json",
    };

    public static Command Create()
    {
        var verify = new Command("verify", "Recompute the audit log's hash chain; print the record count and head hash, or name the first bad record and exit 4.") { s_expectHead };
        verify.SetAction((result, cancellationToken) => VerifyAsync(result.GetValue(TweelingCli.Store)!, result.GetValue(s_expectHead), cancellationToken));

        var export = new Command("export", "Write the audit log's records (with their hashes) to standard output, for the data protection officer. The export is itself recorded.")
        {
            s_from, s_to, s_subject, s_format,
        };
        export.SetAction((result, cancellationToken) => ExportAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_from), result.GetValue(s_to), result.GetValue(s_subject), result.GetValue(s_format)!, cancellationToken));

        return new Command("audit", "The hash-chained audit log of every change and every read of non-open data.") { verify, export };
    }

    private static async Task<int> VerifyAsync(string storePath, string? expectHead, CancellationToken cancellationToken)
    {
        if (expectHead is not null && (expectHead.Length != AuditChain.HashBytes * 2 || !expectHead.All(char.IsAsciiHexDigit)))
        {
            TweelingCli.Error($"--expect-head must be a head hash of {AuditChain.HashBytes * 2} hex digits, as 'tweeling audit verify' prints it; got '{expectHead}'.");
            return TweelingCli.UserError;
        }

        if (!ExistingStore(storePath))
        {
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            AuditVerification verification;
            try
            {
                verification = await AuditVerifier.VerifyAsync(store.Audit.ReadAsync(AuditFilter.All, cancellationToken), expectHead, cancellationToken);
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or SqliteException or OverflowException)
            {
                // A column changed to another type (text where a number belongs, a blob hash) cannot even be read.
                TweelingCli.Error($"the audit log of {store.Path} is damaged: a record cannot be read ({e.Message}).");
                return Tampered;
            }

            if (!verification.IsIntact)
            {
                TweelingCli.Error($"the audit log of {store.Path} is NOT intact: {verification.Problem}. The {verification.Count} records before it chain correctly, to head {verification.Head}.");
                return Tampered;
            }

            Console.Out.WriteLine($"The audit log of {store.Path} is intact: {verification.Count} records, head {verification.Head}.");
            Console.Out.WriteLine("Record the head elsewhere; 'tweeling audit verify --expect-head <head>' later also detects records cut off the end.");
            return 0;
        }
    }

    private static async Task<int> ExportAsync(string storePath, string? fromText, string? toText, string? subject, string format, CancellationToken cancellationToken)
    {
        if (format is not ("json" or "csv"))
        {
            TweelingCli.Error($"--format must be json or csv; got '{format}'.");
            return TweelingCli.UserError;
        }

        DateTimeOffset? from = null, to = null;
        if (fromText is not null && (from = Time(fromText, "--from")) is null)
        {
            return TweelingCli.UserError;
        }

        if (toText is not null && (to = Time(toText, "--to")) is null)
        {
            return TweelingCli.UserError;
        }

        if (!ExistingStore(storePath))
        {
            return TweelingCli.UserError;
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            var records = new List<AuditRecord>();
            await foreach (var record in store.Audit.ReadAsync(new AuditFilter(from, to, subject), cancellationToken))
            {
                records.Add(record);
            }

            // The audit trail names who read what: reading it is itself recorded, before anything is shown.
            var filter = string.Join(' ', new[] { ("from", fromText), ("to", toText), ("subject", subject) }.Where(f => f.Item2 is not null).Select(f => $"--{f.Item1}={f.Item2}"));
            await store.Audit.AppendAsync(
                AuditEntries.For(new Caller(Role.Beheerder, Subject: AuditEntries.CommandLineSubject), TimeProvider.System.GetUtcNow(), "export", ("tweeling audit export " + filter).TrimEnd(), records.Count, "records"),
                cancellationToken);

            await using var output = Console.OpenStandardOutput();
            if (format == "json")
            {
                WriteJson(output, records);
            }
            else
            {
                await WriteCsvAsync(output, records, cancellationToken);
            }

            return 0;
        }
    }

    private static void WriteJson(Stream output, List<AuditRecord> records)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JsonOutput.Encoder });
        json.WriteStartArray();
        foreach (var (sequence, e, hash) in records)
        {
            json.WriteStartObject();
            json.WriteNumber("seq", sequence);
            json.WriteString("time", AuditChain.FormatTime(e.Time));
            json.WriteString("subject", e.Subject);
            json.WriteString("role", e.Role);
            json.WriteString("purpose", e.Purpose);
            json.WriteString("action", e.Action);
            json.WriteString("resource", e.Resource);
            json.WriteNumber("size", e.ResultSize);
            json.WriteString("unit", e.ResultUnit);
            json.WriteString("outcome", e.Outcome);
            json.WriteString("hash", hash);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>RFC 4180 CSV, UTF-8, CRLF line ends.</summary>
    private static async Task WriteCsvAsync(Stream output, List<AuditRecord> records, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\r\n" };
        await writer.WriteLineAsync("seq,time,subject,role,purpose,action,resource,size,unit,outcome,hash".AsMemory(), cancellationToken);
        foreach (var (sequence, e, hash) in records)
        {
            string[] cells =
            [
                sequence.ToString(CultureInfo.InvariantCulture), AuditChain.FormatTime(e.Time), e.Subject ?? "", e.Role, e.Purpose ?? "", e.Action,
                e.Resource, e.ResultSize.ToString(CultureInfo.InvariantCulture), e.ResultUnit, e.Outcome, hash,
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Cell)).AsMemory(), cancellationToken);
        }
    }

    /// <summary>
    /// A CSV cell. A caller chooses their stated purpose, so a value a spreadsheet would run as a formula
    /// (starting with <c>= + - @</c>, tab or carriage return) gets a leading <c>'</c> (OWASP CSV injection advice).
    /// </summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static DateTimeOffset? Time(string text, string option)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        }

        if (text.Contains('T', StringComparison.Ordinal) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        TweelingCli.Error($"{option} must be a date (yyyy-MM-dd) or an ISO 8601 instant (2026-03-01T12:00:00Z); got '{text}'.");
        return null;
    }

    /// <summary>Whether the store file exists; reports it when not, rather than creating an empty store to check.</summary>
    private static bool ExistingStore(string path)
    {
        if (File.Exists(path))
        {
            return true;
        }

        TweelingCli.Error($"--store: there is no store at {Path.GetFullPath(path)}.");
        return false;
    }
}
