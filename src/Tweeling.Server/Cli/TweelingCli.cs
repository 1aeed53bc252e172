using System.CommandLine;
using Spectre.Console;
using Tweeling.Governance.Access;
using Tweeling.Server.Hosting;
using Tweeling.Storage;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Cli;

/// <summary>The command line of the <c>tweeling</c> executable: one verb per task.</summary>
internal static class TweelingCli
{
    /// <summary>The default store: an SQLite file under <c>./var/</c>, created on first use.</summary>
    public const string DefaultStore = "var/tweeling.db";

    /// <summary>Exit code for a usage or input error the user can fix (bad option, unknown kind, bad file).</summary>
    public const int UserError = 2;

    /// <summary>Exit code for an environment error (port in use, store not writable).</summary>
    public const int EnvironmentError = 3;

    public static readonly Option<string> Store = new("--store")
    {
        Description = "The store: a path to an SQLite file (created on first use).",
        DefaultValueFactory = _ => DefaultStore,
        Recursive = true,
    };

    /// <summary>
    /// Who runs the command line: it runs on the host beside the store file, so its user is the local operator,
    /// in the role beheerder. Reads still ask the access policy as that caller.
    /// </summary>
    public static Caller LocalOperator { get; } = new(Role.Beheerder);

    /// <summary>
    /// The access rule of every verb, for the access matrix (<c>docs/security.md</c>); a test checks that every verb
    /// has one, as every endpoint must.
    /// </summary>
    public static IReadOnlyList<(string Verb, AccessRule Rule)> CommandRules { get; } =
    [
        ("serve", AccessRule.Write(Role.Beheerder)),
        ("import", AccessRule.Write(Role.Beheerder)),
        ("datasets", AccessRule.RoleOnly(Role.Beheerder)),
        ("drempels add", AccessRule.Write(Role.Beheerder)),
        ("drempels list", AccessRule.RoleOnly(Role.Beheerder)),
        ("drempels remove", AccessRule.Write(Role.Beheerder)),
        ("demo", AccessRule.Write(Role.Beheerder)),
        ("toegang matrix", AccessRule.PublicDocument),
        ("users add", AccessRule.Write(Role.Beheerder)),
        ("users list", AccessRule.RoleOnly(Role.Beheerder)),
        ("users disable", AccessRule.Write(Role.Beheerder)),
        ("users enable", AccessRule.Write(Role.Beheerder)),
        ("users passwd", AccessRule.Write(Role.Beheerder)),
        ("users token add", AccessRule.Write(Role.Beheerder)),
        ("users token list", AccessRule.RoleOnly(Role.Beheerder)),
        ("users token revoke", AccessRule.Write(Role.Beheerder)),
        ("algoritmes list", AccessRule.PublicDocument),
        ("algoritmes export", AccessRule.PublicDocument),
        ("algoritmes enable", AccessRule.Write(Role.Beheerder)),
        ("algoritmes disable", AccessRule.Write(Role.Beheerder)),
        ("reviews add", AccessRule.Write(Role.Beheerder)),
        ("reviews list", AccessRule.PublicDocument),
        ("reviews decide", AccessRule.Write(Role.Beheerder)),

        // The audit log is for the data protection officer (datasteward) and the administrator.
        ("audit verify", AccessRule.RoleOnly(Role.Datasteward, Role.Beheerder)),
        ("audit export", AccessRule.RoleOnly(Role.Datasteward, Role.Beheerder)),
    ];

    public static async Task<int> RunAsync(string[] args) => await Root().Parse(args).InvokeAsync();

    /// <summary>The root command with every verb.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("Tweeling: de open digitale tweeling van de stad.")
        {
            ServeCommand.Create(),
            ImportCommand.Create(),
            DatasetsCommand.Create(),
            DrempelsCommand.Create(),
            UsersCommand.Create(),
            DemoCommand.Create(),
            AlgoritmesCommand.Create(),
            ReviewsCommand.Create(),
            ToegangCommand.Create(),
            AuditCommand.Create(),
        };
        root.Options.Add(Store);
        return root;
    }

    /// <summary>Opens the store at <paramref name="path"/>, or reports why it cannot be used and returns <c>null</c>.</summary>
    public static async Task<SqliteTwinStore?> OpenStoreAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SqliteTwinStore.OpenAsync(path, TwinHost.GeometryServices, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            Error(e.Message);
            return null;
        }
    }

    /// <summary>Writes an error the user can act on, to standard error.</summary>
    public static void Error(string message) =>
        Console.Error.WriteLine("tweeling: " + message);

    /// <summary>The console for progress and tables; plain text when output is redirected.</summary>
    public static IAnsiConsole Terminal { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
}
