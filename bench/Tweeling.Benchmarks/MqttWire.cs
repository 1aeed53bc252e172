using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tweeling.Benchmarks;

/// <summary>
/// The few MQTT 3.1.1 control packets a load generator needs, encoded by hand (OASIS MQTT 3.1.1, 2014, §2 and §3):
/// CONNECT with a user name and password, PUBLISH at QoS 0 or 1, PINGREQ and DISCONNECT; and the 2-byte-body
/// answers CONNACK, PUBACK and PINGRESP read back. A client library (MQTTnet) builds an application message,
/// a packet object and a task per PUBLISH; this writes bytes into a buffer, so a generator built on it costs a
/// small share of the CPU the broker it loads uses, and the broker's cost can be told from the client's.
/// </summary>
internal static class MqttWire
{
    /// <summary>Control packet types (§2.2.1), already shifted into the first byte's high nibble.</summary>
    public const byte Connect = 0x10, ConnAck = 0x20, Publish = 0x30, PubAck = 0x40, PingReq = 0xC0, PingResp = 0xD0, Disconnect = 0xE0;

    /// <summary>PINGREQ (§3.12): the fixed header alone.</summary>
    public static ReadOnlySpan<byte> PingRequest => [PingReq, 0x00];

    /// <summary>DISCONNECT (§3.14): the fixed header alone.</summary>
    public static ReadOnlySpan<byte> DisconnectPacket => [Disconnect, 0x00];

    /// <summary>
    /// A CONNECT (§3.1) with protocol name "MQTT", level 4 (3.1.1), clean session, a user name and a password,
    /// and <paramref name="keepAliveSeconds"/> (0 turns the keep-alive off, §3.1.2.10).
    /// </summary>
    public static byte[] ConnectPacket(string clientId, string userName, string password, ushort keepAliveSeconds)
    {
        const byte UserNameFlag = 0x80, PasswordFlag = 0x40, CleanSessionFlag = 0x02;
        var variable = new List<byte>(64);
        AppendString(variable, "MQTT"u8);
        variable.Add(4);
        variable.Add(UserNameFlag | PasswordFlag | CleanSessionFlag);
        variable.Add((byte)(keepAliveSeconds >> 8));
        variable.Add((byte)keepAliveSeconds);
        AppendString(variable, Encoding.UTF8.GetBytes(clientId));
        AppendString(variable, Encoding.UTF8.GetBytes(userName));
        AppendString(variable, Encoding.UTF8.GetBytes(password));
        return [.. FixedHeader(Connect, variable.Count), .. variable];
    }

    /// <summary>
    /// A PUBLISH (§3.3) of <paramref name="payload"/> to <paramref name="topic"/> at QoS <paramref name="qos"/>
    /// (0 or 1), not a duplicate, not retained; at QoS 1 with <paramref name="packetId"/> (1–65535, §2.3.1).
    /// </summary>
    public static byte[] PublishPacket(string topic, ReadOnlySpan<byte> payload, int qos, ushort packetId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(qos, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(qos);
        if (qos == 1 && packetId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(packetId), "a QoS 1 PUBLISH needs a non-zero packet identifier (MQTT 3.1.1 §2.3.1)");
        }

        var name = Encoding.UTF8.GetBytes(topic);
        var remaining = 2 + name.Length + (qos == 1 ? 2 : 0) + payload.Length;
        var header = FixedHeader((byte)(Publish | (qos << 1)), remaining);
        var packet = new byte[header.Length + remaining];
        header.CopyTo(packet, 0);
        var at = header.Length;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), (ushort)name.Length);
        name.CopyTo(packet, at + 2);
        at += 2 + name.Length;
        if (qos == 1)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), packetId);
            at += 2;
        }

        payload.CopyTo(packet.AsSpan(at));
        return packet;
    }

    /// <summary>Where the packet identifier of a QoS 1 PUBLISH made by <see cref="PublishPacket"/> sits, so a template can be patched in place.</summary>
    public static int PacketIdOffset(ReadOnlySpan<byte> publishPacket)
    {
        var headerLength = 1 + RemainingLengthBytes(publishPacket[1..]);
        return headerLength + 2 + BinaryPrimitives.ReadUInt16BigEndian(publishPacket[headerLength..]);
    }

    /// <summary>
    /// The fixed header (§2.2): the first byte, then the remaining length in 1–4 bytes of 7 bits each, least
    /// significant first, the high bit set on all but the last (§2.2.3; at most 268,435,455).
    /// </summary>
    public static byte[] FixedHeader(byte first, int remainingLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(remainingLength, 268_435_455);
        var header = new List<byte>(5) { first };
        do
        {
            var digit = (byte)(remainingLength % 128);
            remainingLength /= 128;
            header.Add(remainingLength > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remainingLength > 0);
        return [.. header];
    }

    /// <summary>How many bytes the remaining length at the start of <paramref name="encoded"/> takes.</summary>
    private static int RemainingLengthBytes(ReadOnlySpan<byte> encoded)
    {
        var count = 1;
        while ((encoded[count - 1] & 0x80) != 0)
        {
            count++;
        }

        return count;
    }

    /// <summary>A UTF-8 string or binary field: a 2-byte big-endian length, then the bytes (§1.5.3).</summary>
    private static void AppendString(List<byte> into, ReadOnlySpan<byte> value)
    {
        into.Add((byte)(value.Length >> 8));
        into.Add((byte)value.Length);
        into.AddRange(value);
    }

    /// <summary>
    /// Opens a TCP connection to <paramref name="endPoint"/>, sends a CONNECT and waits for the CONNACK: returns the
    /// connected socket, or throws with the return code (§3.2.2.3: 4 is a bad user name or password, 5 not authorised).
    /// </summary>
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, string clientId, string userName, string password, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, ct);
            await socket.SendAsync(ConnectPacket(clientId, userName, password, keepAliveSeconds: 0), ct);
            var connAck = new byte[4];
            await ReceiveExactlyAsync(socket, connAck, ct);
            if (connAck[0] != ConnAck || connAck[1] != 2)
            {
                throw new IOException($"expected a CONNACK, got packet type 0x{connAck[0]:X2} with remaining length {connAck[1]}");
            }

            return connAck[3] == 0 ? socket : throw new IOException($"the broker refused the CONNECT with return code {connAck[3]}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length, or throws when the broker closes the connection first.</summary>
    public static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, ct);
            if (read == 0)
            {
                throw new IOException("the broker closed the connection");
            }

            buffer = buffer[read..];
        }
    }
}
