using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// The embedded broker listens where the web server does and nowhere else: MQTTnet's default of every IPv6 address
/// put a broker beside a loopback web server on the network.
/// </summary>
public sealed class MqttListenAddressesTests : IAsyncDisposable
{
    private readonly List<IMqttClient> _clients = [];
    private MqttTwin? _twin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", "::1")]
    [InlineData("http://localhost:8080", "127.0.0.1", "::1")]
    [InlineData("http://[::1]:8080", "127.0.0.1", "::1")]
    [InlineData("http://0.0.0.0:8080", "0.0.0.0", "::")]
    [InlineData("http://[::]:8080", "0.0.0.0", "::")]
    [InlineData("http://192.0.2.10:8080", "192.0.2.10", "255.255.255.255")]
    [InlineData("http://[2001:db8::10]:8080", "255.255.255.255", "2001:db8::10")]
    public void The_broker_beside_a_web_server_listens_on_its_address_only(string url, string ipv4, string ipv6)
    {
        var settings = MqttBrokerSettings.Beside(new Uri(url), 1883);

        var (listenIpv4, listenIpv6) = MqttBroker.ListenAddresses(settings.Address);

        Assert.Equal(IPAddress.Parse(ipv4), listenIpv4);
        Assert.Equal(IPAddress.Parse(ipv6), listenIpv6);
    }

    /// <summary>
    /// The running broker, not only the mapping: beside a web server on either loopback address its port has exactly
    /// the two loopback listeners (the machine's own list of listening sockets, which would show <c>[::]</c> had MQTTnet
    /// kept its default), and a client connects over each.
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task The_running_broker_beside_a_loopback_web_server_accepts_both_loopback_families_and_listens_nowhere_else(string host)
    {
        _twin = await MqttTwin.OpenAsync(Ct);
        var port = FreePorts.Next();
        var url = $"http://{host}:{FreePorts.Next()}";
        await _twin.StartAsync(url, new FakeTimeProvider(TwinServer.Now), MqttBrokerSettings.Beside(new Uri(url), port), settings: null, Ct);

        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(e => e.Port == port);

        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, port).ToString(), new IPEndPoint(IPAddress.IPv6Loopback, port).ToString()],
            listeners.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port)));
    }

    /// <summary>Connects an anonymous MQTT 5 client (which may subscribe, not publish) and returns the CONNACK's result.</summary>
    private async Task<MqttClientConnectResultCode> ConnectAsync(IPEndPoint broker)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        var options = new MqttClientOptionsBuilder()
            .WithEndPoint(broker)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("adres-" + Guid.NewGuid().ToString("N"))
            .Build();
        return (await client.ConnectAsync(options, Ct)).ResultCode;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (_twin is not null)
        {
            await _twin.DisposeAsync();
        }
    }
}
