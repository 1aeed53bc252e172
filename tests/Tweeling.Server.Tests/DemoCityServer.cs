using Tweeling.Server.Cli;

namespace Tweeling.Server.Tests;

/// <summary>One server over the demo city (scale 1, seed 1), shared by the tests of a collection.</summary>
public sealed class DemoCityServer : IAsyncLifetime
{
    private TwinServer? _server;

    public TwinServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() =>
        _server = await TwinServer.StartAsync(store => DemoCommand.SeedAsync(store, DemoCommand.DefaultOptions, historyDays: 1, TimeProvider.System, CancellationToken.None));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCityCollection : ICollectionFixture<DemoCityServer>
{
    public const string Name = "demo city server";
}
