using System.Text.Json.Nodes;
using Tweeling.Governance.Register;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary><c>tweeling algoritmes</c> and <c>tweeling reviews</c> as an operator runs them, on a real store file.</summary>
public sealed class RegisterCommandTests : IDisposable
{
    private readonly TempDirectory _work = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Algorithms_are_listed_switched_off_and_on_and_exported_as_the_standards_json()
    {
        var unknown = await RunAsync("algoritmes", "enable", "onbekend");
        var disabled = await RunAsync("algoritmes", "disable", "demo-sensorfeed", "--by", "beheer-01");
        var listed = await RunAsync("algoritmes", "list");
        var enabled = await RunAsync("algoritmes", "enable", "demo-sensorfeed", "--by", "beheer-01");
        var exported = await RunAsync("algoritmes", "export", "--output", _work.File("register.json"));

        Assert.Equal(2, unknown.Code);
        Assert.Contains("there is no algorithm 'onbekend' in the register; known: bereikbaarheid, bevolking, demo-sensorfeed, demostad-generator, drempelalarmen, geluid, groen, hitte, leefbaarheid, luchtkwaliteit, sociaal, verkeer, voorzieningen.", unknown.Error, StringComparison.Ordinal);
        Assert.True(disabled.Code == 0, disabled.Error);
        Assert.Matches(@"demo-sensorfeed\s.*\sno\s", listed.Output);
        Assert.Matches(@"drempelalarmen\s.*\syes\s", listed.Output);
        Assert.True(enabled.Code == 0, enabled.Error);
        Assert.Contains("Enabled algorithm demo-sensorfeed.", enabled.Output, StringComparison.Ordinal);
        Assert.True(exported.Code == 0, exported.Error);
        var register = JsonNode.Parse(await File.ReadAllTextAsync(_work.File("register.json"), Ct))!.AsArray();
        Assert.Equal(13, register.Count);
        Assert.All(register, entry => Assert.Empty(RegisterValidator.Validate(entry!.AsObject())));
    }

    [Fact]
    public async Task A_review_is_recorded_and_decided_only_by_its_deciders()
    {
        var named = await RunAsync("reviews", "add", "--kind", "dpia", "--subject", "algoritme/drempelalarmen", "--reviewer", "jan@gemeente.example:datasteward");
        var noAlgorithm = await RunAsync("reviews", "add", "--kind", "dpia", "--subject", "algoritme/onbekend", "--reviewer", "ds-17:datasteward");
        var none = await RunAsync("reviews", "list");
        var added = await RunAsync("reviews", "add", "--kind", "ethische-commissie", "--subject", "algoritme/drempelalarmen", "--reviewer", "ec-03:ethische-commissie", "--submit");
        var wrongRole = await RunAsync("reviews", "decide", "1", "--status", "goedgekeurd", "--reviewer", "ds-17:datasteward");
        var approved = await RunAsync("reviews", "decide", "1", "--status", "goedgekeurd", "--reviewer", "ec-03:ethische-commissie", "--condition", "Jaarlijks evalueren.", "--valid-until", "2099-01-01");
        var final = await RunAsync("reviews", "decide", "1", "--status", "afgewezen", "--reviewer", "ec-03:ethische-commissie");
        var listed = await RunAsync("reviews", "list", "--subject", "algoritme/drempelalarmen");

        Assert.Equal(2, named.Code);
        Assert.Contains("must be a pseudonymous id", named.Error, StringComparison.Ordinal);
        Assert.Equal(2, noAlgorithm.Code);
        Assert.Contains("there is no algorithm 'onbekend'", noAlgorithm.Error, StringComparison.Ordinal);
        Assert.Contains("has no reviews", none.Output, StringComparison.Ordinal);
        Assert.True(added.Code == 0, added.Error);
        Assert.Contains("Recorded review 1: ethische-commissie of algoritme/drempelalarmen, in-behandeling.", added.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrongRole.Code);
        Assert.Contains("is decided by ethische-commissie, not by 'datasteward'", wrongRole.Error, StringComparison.Ordinal);
        Assert.True(approved.Code == 0, approved.Error);
        Assert.Equal(2, final.Code);
        Assert.Contains("it cannot become 'afgewezen'", final.Error, StringComparison.Ordinal);
        Assert.Contains("goedgekeurd", listed.Output, StringComparison.Ordinal);
        Assert.Contains("Jaarlijks evalueren.", listed.Output, StringComparison.Ordinal);
        Assert.Contains("2099-01-01", listed.Output, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] arguments) =>
        TweelingProcess.RunAsync(_work.Path, [.. arguments, "--store", _work.File("twin.db")]);
}
