using System.Diagnostics;

namespace Tweeling.Server.Tests.Cli;

/// <summary>Runs the real <c>tweeling</c> executable (built beside the tests) as a separate process.</summary>
public static class TweelingProcess
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "tweeling.dll");

    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>Runs to completion (at most two minutes) and returns exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string workingDirectory, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="input"/> on standard input (then closed).</summary>
    public static async Task<(int Code, string Output, string Error)> RunWithInputAsync(string workingDirectory, string input, params string[] arguments)
    {
        var start = StartInfo(workingDirectory, arguments);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
