using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary><c>tweeling drempels add|list|remove</c> as an operator runs them, on a real store file.</summary>
public sealed class DrempelsCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _work = new();
    private long _datastream;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await using var store = await SqliteTwinStore.OpenAsync(_work.File("twin.db"), TwinHost.GeometryServices, Ct);
        _datastream = (await SensorSeed.WeatherStationAsync(store)).DatastreamIds[0];
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_threshold_is_added_listed_and_removed()
    {
        var added = await RunAsync("add", "--datastream", $"{_datastream}", "--name", "Hittestress", "--above", "30", "--clear-at", "28", "--severity", "critical");
        var listed = await RunAsync("list");
        var filtered = await RunAsync("list", "--datastream", $"{_datastream + 1}");
        var removed = await RunAsync("remove", "1");
        var empty = await RunAsync("list");
        var again = await RunAsync("remove", "1");

        Assert.True(added.Code == 0, added.Error);
        Assert.Contains($"Added threshold 1 on Datastream {_datastream}: above 30, clears at or below 28.", added.Output, StringComparison.Ordinal);
        Assert.Contains("Hittestress", listed.Output, StringComparison.Ordinal);
        Assert.Contains("critical", listed.Output, StringComparison.Ordinal);
        Assert.Contains("has no thresholds on Datastream", filtered.Output, StringComparison.Ordinal);
        Assert.Equal(0, removed.Code);
        Assert.Contains("has no thresholds", empty.Output, StringComparison.Ordinal);
        Assert.Equal(2, again.Code);
        Assert.Contains("id: there is no threshold 1", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--datastream is required", "--name", "x", "--above", "1")]
    [InlineData("--datastream must be an id", "--datastream", "abc", "--name", "x", "--above", "1")]
    [InlineData("--datastream: there is no Datastream with id 999", "--datastream", "999", "--name", "x", "--above", "1")]
    [InlineData("--name is required", "--datastream", "{ds}", "--above", "1")]
    [InlineData("exactly one of --above, --below or --equals; got none", "--datastream", "{ds}", "--name", "x")]
    [InlineData("got --above and --below", "--datastream", "{ds}", "--name", "x", "--above", "1", "--below", "0")]
    [InlineData("--above must be a number", "--datastream", "{ds}", "--name", "x", "--above", "30,5")]
    [InlineData("--clear-at: For a threshold above 30 the clear value must be at most 30", "--datastream", "{ds}", "--name", "x", "--above", "30", "--clear-at", "35")]
    [InlineData("--clear-at: For a threshold below 5 the clear value must be at least 5", "--datastream", "{ds}", "--name", "x", "--below", "5", "--clear-at", "4")]
    [InlineData("--clear-at: A threshold on a status value", "--datastream", "{ds}", "--name", "x", "--equals", "2", "--clear-at", "1")]
    [InlineData("--severity must be info, warning or critical; got 'urgent'", "--datastream", "{ds}", "--name", "x", "--above", "1", "--severity", "urgent")]
    public async Task A_bad_argument_is_an_error_that_names_it_and_adds_nothing(string message, params string[] arguments)
    {
        var (code, _, error) = await RunAsync(["add", .. arguments.Select(a => a == "{ds}" ? $"{_datastream}" : a)]);
        var listed = await RunAsync("list");

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("has no thresholds", listed.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drempels", "add")]
    [InlineData("drempels add", "--clear-at")]
    [InlineData("drempels add", "--equals")]
    [InlineData("drempels list", "--datastream")]
    public async Task Drempels_has_help_that_names_its_commands_and_options(string verb, string expected)
    {
        var (code, output, _) = await TweelingProcess.RunAsync(_work.Path, [.. verb.Split(' '), "--help"]);

        Assert.Equal(0, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] arguments) =>
        TweelingProcess.RunAsync(_work.Path, ["--store", "twin.db", "drempels", .. arguments]);
}
