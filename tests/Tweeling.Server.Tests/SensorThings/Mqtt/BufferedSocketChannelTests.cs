using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Tweeling.Benchmarks;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.SensorThings.Mqtt;

/// <summary>
/// The embedded broker's connections read through a buffer (<see cref="BufferedSocketChannel"/>): MQTTnet's packet
/// reader over it must see exactly the packets the client wrote, however TCP cuts them — several in one read, one
/// across many, one larger than the buffer — and its PUBACK must reach the client as written. The packets are made
/// by the benchmark's own MQTT 3.1.1 encoder (<see cref="MqttWire"/>), independent of MQTTnet's.
/// </summary>
public sealed class BufferedSocketChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Packets_that_share_a_read_span_reads_or_exceed_the_buffer_are_each_read_whole_and_in_order()
    {
        var (client, adapter) = await ConnectedPairAsync();
        using (client)
        using (adapter)
        {
            // A body above 4 KiB is read past the buffer; its remaining length takes two bytes, and a third is read alone.
            var large = Encoding.UTF8.GetBytes(new string('x', BufferedSocketChannel.ReceiveBufferSize + 1_000));
            var sent = new (string Topic, byte[] Payload, ushort Id)[]
            {
                ("v1.1/Datastreams(1)/Observations", """{"result":1}"""u8.ToArray(), 1),
                ("v1.1/Datastreams(2)/Observations", """{"result":2}"""u8.ToArray(), 2),
                ("v1.1/Datastreams(3)/Observations", large, 3),
                ("v1.1/Datastreams(4)/Observations", """{"result":4}"""u8.ToArray(), 4),
                ("v1.1/Datastreams(5)/Observations", Encoding.UTF8.GetBytes(new string('y', 200)), 5),
            };
            var packets = sent.Select(p => MqttWire.PublishPacket(p.Topic, p.Payload, qos: 1, p.Id)).ToArray();

            // The first three in one write; the fourth one byte a write; the fifth (a two-byte remaining length) with the end of the stream.
            await client.SendAsync(packets[0].Concat(packets[1]).Concat(packets[2]).ToArray(), SocketFlags.None, Ct);
            foreach (var b in packets[3])
            {
                await client.SendAsync(new[] { b }, SocketFlags.None, Ct);
            }

            await client.SendAsync(packets[4], SocketFlags.None, Ct);
            client.Shutdown(SocketShutdown.Send);

            foreach (var (topic, payload, id) in sent)
            {
                var publish = Assert.IsType<MqttPublishPacket>(await adapter.ReceivePacketAsync(Ct));
                Assert.Equal(topic, publish.Topic);
                Assert.Equal(payload, publish.Payload.ToArray());
                Assert.Equal(id, publish.PacketIdentifier);
                Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, publish.QualityOfServiceLevel);
            }

            // Then the end of the stream, and nothing made up from the buffer's leftovers.
            Assert.Null(await adapter.ReceivePacketAsync(Ct));
        }
    }

    [Fact]
    public async Task A_puback_reaches_the_client_as_section_3_4_lays_it_out()
    {
        var (client, adapter) = await ConnectedPairAsync();
        using (client)
        using (adapter)
        {
            await adapter.SendPacketAsync(new MqttPubAckPacket { PacketIdentifier = 0x1234 }, Ct);

            var answer = new byte[4];
            await MqttWire.ReceiveExactlyAsync(client, answer, Ct);
            Assert.Equal(new byte[] { 0x40, 0x02, 0x12, 0x34 }, answer);
        }
    }

    /// <summary>A client socket and MQTTnet's MQTT 3.1.1 reader and writer over the server's end through a <see cref="BufferedSocketChannel"/>.</summary>
    private static async Task<(Socket Client, MqttChannelAdapter Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!, Ct);
        var accepted = await listener.AcceptAsync(Ct);
        var adapter = new MqttChannelAdapter(
            new BufferedSocketChannel(accepted),
            new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65535)),
            MqttNetNullLogger.Instance);
        return (client, adapter);
    }
}
