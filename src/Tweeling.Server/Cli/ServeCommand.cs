using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Cli;

/// <summary><c>tweeling serve</c>: starts the platform. An empty store is first seeded with the demo city.</summary>
internal static class ServeCommand
{
    private static readonly Option<string> s_urls = new("--urls")
    {
        Description = "Where to listen, e.g. http://127.0.0.1:8080 (several separated by ';').",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    private static readonly Option<int> s_mqttPort = new("--mqtt-port")
    {
        Description = "Port of the embedded MQTT broker on the same address as the web server; 0 turns it off (for an external broker).",
        DefaultValueFactory = _ => MqttBrokerSettings.DefaultPort,
    };

    private static readonly Option<string?> s_mqttBroker = new("--mqtt-broker")
    {
        Description = "An external MQTT broker to use instead of the embedded one, e.g. mqtt://broker.example.nl:1883 (devices may speak MQTT 3.1.1 or 5 to it); also the environment variable "
            + BrokerVariable + ".",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(BrokerVariable) is { Length: > 0 } url ? url : null,
    };

    private static readonly Option<string> s_mqttBrokerProtocol = new("--mqtt-broker-protocol")
    {
        Description = "The MQTT version the server speaks to the external broker: 5 (its own update messages do not come back to it) or 3.1.1 (for a broker without MQTT 5).",
        DefaultValueFactory = _ => "5",
    };

    /// <summary>The environment variable that names the external broker when <c>--mqtt-broker</c> is not given (for containers; named as the other settings are).</summary>
    private const string BrokerVariable = "Tweeling__Mqtt__Broker";

    private static readonly Option<bool> s_noDemo = new("--no-demo")
    {
        Description = "No demo: an empty store is not seeded with the demo city, and no simulated sensor readings are added while running.",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Start the platform: APIs and web UI. An empty store is seeded with the demo city first.")
        {
            s_urls,
            s_mqttPort,
            s_mqttBroker,
            s_mqttBrokerProtocol,
            s_noDemo,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(TweelingCli.Store)!, result.GetValue(s_urls)!, result.GetValue(s_mqttPort), result.GetValue(s_mqttBroker), result.GetValue(s_mqttBrokerProtocol)!, result.GetValue(s_noDemo), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string storePath, string urls, int mqttPort, string? mqttBroker, string mqttBrokerProtocol, bool noDemo, CancellationToken cancellationToken)
    {
        if (mqttPort is < 0 or > 65535)
        {
            TweelingCli.Error($"--mqtt-port must be from 0 (off) to 65535; got {mqttPort}.");
            return TweelingCli.UserError;
        }

        if (!urls.Split(';').All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            TweelingCli.Error($"--urls must be absolute http(s) URLs separated by ';'; got '{urls}'.");
            return TweelingCli.UserError;
        }

        var web = new Uri(urls.Split(';')[0]);
        MqttSettings? mqtt = mqttPort == 0 ? null : MqttBrokerSettings.Beside(web, mqttPort);
        if (mqttBroker is not null)
        {
            // An external broker replaces the embedded one.
            var (external, error) = MqttClientSettings.Parse(mqttBroker, web.GetLeftPart(UriPartial.Authority) + StaApi.Prefix);
            if (external is null)
            {
                TweelingCli.Error(error!);
                return TweelingCli.UserError;
            }

            if (!MqttClientSettings.Protocols.TryGetValue(mqttBrokerProtocol, out var protocol))
            {
                TweelingCli.Error($"--mqtt-broker-protocol must be one of {string.Join(", ", MqttClientSettings.Protocols.Keys)}; got '{mqttBrokerProtocol}'.");
                return TweelingCli.UserError;
            }

            mqtt = external with { Protocol = protocol };
        }

        if (await TweelingCli.OpenStoreAsync(storePath, cancellationToken) is not { } store)
        {
            return TweelingCli.EnvironmentError;
        }

        await using (store)
        {
            if (!noDemo && await store.IsEmptyAsync(cancellationToken))
            {
                TweelingCli.Terminal.MarkupLine("[grey]The store is empty: generating the demo city (synthetic data) first.[/]");
                await DemoCommand.SeedWithProgressBarsAsync(store, DemoCommand.DefaultOptions, DemoCommand.DefaultHistoryDays, TimeProvider.System, cancellationToken);
            }

            // The web UI built in the repository this executable runs from (./tweeling builds it); Tweeling:Web:Root overrides it.
            var app = TwinHost.Build(store, urls, TimeProvider.System, mqtt, demoFeed: !noDemo, webRoot: WebApp.FindInRepository(AppContext.BaseDirectory));
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException e)
            {
                TweelingCli.Error("invalid configuration: " + string.Join(" ", e.Failures));
                return TweelingCli.UserError;
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                TweelingCli.Error($"cannot listen on {urls}: the address is already in use. Stop the other process or choose another port with --urls.");
                return TweelingCli.EnvironmentError;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                TweelingCli.Error($"cannot start the MQTT broker on port {mqttPort}: the port is already in use. Stop the other broker, choose another port with --mqtt-port, or turn the broker off with --mqtt-port 0.");
                return TweelingCli.EnvironmentError;
            }

            TweelingCli.Terminal.MarkupLineInterpolated($"Tweeling is running at [link]{urls.Split(';')[0]}[/] (store: {store.Path}). Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
        }

        return 0;
    }
}
