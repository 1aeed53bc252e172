using System.Buffers;
using System.Net;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.SensorThings;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The embedded MQTT broker (MQTTnet), so one process is enough for sensor traffic: SensorThings'
/// MQTT extension and partners' devices publish to it on port 1883 by default. It listens on the
/// same address as the web server's first URL (loopback by default); <c>serve --mqtt-port 0</c>
/// turns it off, for a deployment that uses an external MQTT 3.1.1/5 broker.
/// </summary>
/// <remarks>
/// A PUBLISH of an Observation to <c>v1.1/Observations</c> or <c>v1.1/Datastreams(id)/Observations</c>
/// (SensorThings "create observations via MQTT") is stored before the broker acknowledges it: MQTTnet
/// sends the PUBACK of a QoS 1 message after this interceptor returns, and the append returns only when
/// the observation is durable. A payload that is not an Observation is not stored nor relayed; MQTT 5
/// clients get the reason in the PUBACK, MQTT 3.1.1 has no way to say it.
/// </remarks>
internal sealed partial class MqttBroker(
    MqttBrokerSettings settings, IObservationStore observations, TimeProvider time, ILogger<MqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(settings.Address)
            .WithDefaultEndpointPort(settings.Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += AssignClientIdentifier;
        _server.InterceptingPublishAsync += CreateObservationAsync;
        await _server.StartAsync();
        Log.Listening(logger, settings.Address.ToString(), settings.Port);
    }

    /// <summary>
    /// MQTT lets a client connect with an empty client id (3.1.1 §3.1.3.1 with a clean session, 5.0
    /// §3.1.3.1), and then the server assigns one; mosquitto_pub and mosquitto_sub do exactly that.
    /// </summary>
    private static Task AssignClientIdentifier(ValidatingConnectionEventArgs connection)
    {
        if (string.IsNullOrEmpty(connection.ClientId))
        {
            connection.AssignedClientIdentifier = "tweeling-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    private async Task CreateObservationAsync(InterceptingPublishEventArgs publish)
    {
        const string Version = "v1.1/";
        var topic = publish.ApplicationMessage.Topic;
        if (!topic.StartsWith(Version, StringComparison.Ordinal) || !Observations.TryObservationTarget(topic[Version.Length..], out var datastreamId))
        {
            return;
        }

        var (observation, error) = Observations.ParseBody(publish.ApplicationMessage.Payload.ToArray(), datastreamId, time.GetUtcNow());
        if (observation is not null)
        {
            try
            {
                await observations.AppendAsync([observation], publish.CancellationToken);
                return;
            }
            catch (SensorLinkException e)
            {
                error = e.Message;
            }
        }

        publish.ProcessPublish = false;
        publish.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
        publish.Response.ReasonString = error;
        Log.ObservationRefused(logger, topic, publish.ClientId);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "MQTT broker listening on {Address}:{Port}")]
        public static partial void Listening(ILogger logger, string address, int port);

        // The payload is not logged: it may hold data of a partner's sensor that is not open.
        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "MQTT PUBLISH to {Topic} by client {ClientId} is not a valid Observation; not stored")]
        public static partial void ObservationRefused(ILogger logger, string topic, string clientId);
    }
}

/// <summary>Where the embedded MQTT broker listens.</summary>
/// <param name="Address">The address to bind.</param>
/// <param name="Port">The TCP port (1883 by default).</param>
internal sealed record MqttBrokerSettings(IPAddress Address, int Port)
{
    /// <summary>The MQTT port IANA assigns (without TLS).</summary>
    public const int DefaultPort = 1883;

    /// <summary>The broker beside a web server listening at <paramref name="url"/>: the same address, <paramref name="port"/>.</summary>
    public static MqttBrokerSettings Beside(Uri url, int port) => new(
        url.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            var host when IPAddress.TryParse(host.Trim('[', ']'), out var address) => address,
            _ => IPAddress.Any,
        },
        port);
}
