using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Tweeling.Server.Hosting;

/// <summary>
/// How many connections the embedded MQTT broker holds open (section <c>Tweeling:Mqtt</c>, e.g.
/// <c>Tweeling__Mqtt__ConnectionsPerAddress=500</c>); validated at start-up.
/// </summary>
/// <remarks>
/// Defaults, and why: a connection costs the broker its buffers and session whether or not it sends anything, so
/// a single address must not be able to take them all. A sensor usually holds one connection, but a partner's
/// gateway or a site behind one NAT address carries many devices: 100 per address. 10,000 in all keeps the
/// broker's memory bounded (tens of kilobytes per connection) on the platform's small default machine.
/// </remarks>
internal sealed class MqttConnectionLimitOptions
{
    public const string Section = "Tweeling:Mqtt";

    /// <summary>Connections one client address may hold open at the same time.</summary>
    [Range(1, 1_000_000)]
    public int ConnectionsPerAddress { get; init; } = 100;

    /// <summary>Connections the broker holds open at the same time, from all addresses together.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>
    /// PUBLISHes one client may send per second (<see cref="MqttPublishRate"/>). 1,000: a sensor sends one a minute
    /// or so and a gateway for a hundred devices a hundred a second; the mqtt-ingest benchmark's clients send well
    /// under 100 each (docs/benchmarks.md), so the limit only stops a client that floods.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PublishesPerSecond { get; init; } = 1_000;
}

/// <summary>
/// Counts the embedded broker's open connections per client address and in all, and refuses a CONNECT beyond
/// <see cref="MqttConnectionLimitOptions"/> in its CONNACK: MQTT 5 "quota exceeded" (0x97) for an address over its
/// share, "server busy" (0x89) when the broker is full; MQTTnet answers an MQTT 3.1.1 client with its nearest return
/// code, "server unavailable" (3). A connection counts from its accepted CONNECT until it disconnects; a refused
/// CONNECT (bad credentials, a reserved client id) counts for nothing. A client that reconnects while the broker
/// still holds its previous connection (not yet timed out by its keep-alive) counts twice until the old one goes.
/// </summary>
internal sealed class MqttConnectionLimits(IOptions<MqttConnectionLimitOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];

    /// <summary>The admitted connections by their remote end point (address and port), which is unique while a connection is open.</summary>
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);

    /// <summary>Registers the options and the counter.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<MqttConnectionLimitOptions>().BindConfiguration(MqttConnectionLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MqttConnectionLimits>();
        services.AddSingleton<MqttPublishRate>();
    }

    /// <summary>
    /// Admits <paramref name="connection"/> if the limits allow it, then runs the broker's own checks
    /// (<paramref name="validate"/>: client id, sign-in); a connection those refuse is not counted. The limits are
    /// checked first, so a flood of connections is refused before any password is hashed.
    /// </summary>
    public async Task ValidateAsync(ValidatingConnectionEventArgs connection, Func<Task> validate)
    {
        var (address, endPoint) = (Address(connection.RemoteEndPoint), connection.RemoteEndPoint?.ToString() ?? string.Empty);
        lock (_gate)
        {
            if (_open.Count >= options.Value.MaxConnections)
            {
                connection.ReasonCode = MqttConnectReasonCode.ServerBusy;
                connection.ReasonString = $"The broker holds the most connections it allows ({options.Value.MaxConnections}); try again later.";
                return;
            }

            if (_perAddress.GetValueOrDefault(address) >= options.Value.ConnectionsPerAddress)
            {
                connection.ReasonCode = MqttConnectReasonCode.QuotaExceeded;
                connection.ReasonString = $"This address holds the most connections it may ({options.Value.ConnectionsPerAddress}); close one first.";
                return;
            }

            _open.Add(endPoint);
            _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
        }

        try
        {
            await validate();
        }
        finally
        {
            if (connection.ReasonCode != MqttConnectReasonCode.Success)
            {
                Release(connection.RemoteEndPoint);
            }
        }
    }

    /// <summary>Frees the place of a connection that has ended.</summary>
    public void Disconnected(ClientDisconnectedEventArgs disconnected) => Release(disconnected.RemoteEndPoint);

    /// <summary>The connections open now, and those from <paramref name="address"/>.</summary>
    public (int All, int FromAddress) Open(IPAddress address)
    {
        lock (_gate)
        {
            return (_open.Count, _perAddress.GetValueOrDefault(address));
        }
    }

    private void Release(EndPoint? remote)
    {
        var address = Address(remote);
        lock (_gate)
        {
            if (!_open.Remove(remote?.ToString() ?? string.Empty))
            {
                return;
            }

            if (_perAddress.GetValueOrDefault(address) <= 1)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address]--;
            }
        }
    }

    /// <summary>The client address of an end point; IPv4 clients of a dual-stack socket appear as IPv4-mapped IPv6 and are counted as IPv4.</summary>
    private static IPAddress Address(EndPoint? remote) => remote is IPEndPoint ip
        ? ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address
        : IPAddress.None;
}
