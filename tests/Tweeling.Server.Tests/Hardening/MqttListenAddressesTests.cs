using System.Net;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// The embedded broker listens where the web server does and nowhere else: MQTTnet's default of every IPv6 address
/// put a broker beside a loopback web server on the network.
/// </summary>
public sealed class MqttListenAddressesTests
{
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
}
