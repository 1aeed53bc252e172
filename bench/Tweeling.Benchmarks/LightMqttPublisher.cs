using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tweeling.Benchmarks;

/// <summary>
/// One light MQTT 3.1.1 publisher on a raw socket (<see cref="MqttWire"/>): one Observation per PUBLISH to
/// <c>v1.1/Datastreams(id)/Observations</c>, from one pre-encoded packet whose packet identifier and
/// phenomenonTime are patched in place, several packets written with one send and the answers of one
/// receive handled together.
/// </summary>
/// <remarks>
/// QoS 1: <c>window</c> PUBLISHes in flight with packet identifiers 1…window; each PUBACK (§3.4) counts its
/// observation as acknowledged and frees its identifier for the next PUBLISH. QoS 0 has no acknowledgement
/// (§4.3.1), so a PINGREQ follows each burst of <c>window</c> PUBLISHes and its PINGRESP counts the burst: a
/// broker that handles a connection's packets in order (MQTTnet reads the next packet only after the
/// publish interceptor of the previous one has returned, and the server's interceptor returns once the
/// observation is stored) has then handled all of them. The benchmark's count of the store afterwards checks
/// that reading.
/// </remarks>
internal sealed class LightMqttPublisher : IDisposable
{
    /// <summary>The length of a phenomenonTime written with <see cref="TimeFormat"/>: always 28 characters.</summary>
    private const int TimeLength = 28;
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly DateTime s_t0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Socket _socket;
    private readonly byte[] _template;
    private readonly int _packetIdAt;
    private readonly int _timeAt;
    private readonly int _qos;
    private readonly int _window;
    private readonly int _worker;
    private long _sequence;

    private LightMqttPublisher(Socket socket, long datastream, int qos, int window, int worker)
    {
        _socket = socket;
        _qos = qos;
        _window = window;
        _worker = worker;
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"phenomenonTime\":\"{s_t0.ToString(TimeFormat, CultureInfo.InvariantCulture)}\",\"result\":{worker % 1000 / 10.0}}}"));
        _template = MqttWire.PublishPacket($"v1.1/Datastreams({datastream})/Observations", payload, qos, packetId: 1);
        _packetIdAt = qos == 1 ? MqttWire.PacketIdOffset(_template) : -1;
        _timeAt = _template.AsSpan().IndexOf("\"phenomenonTime\":\""u8) + "\"phenomenonTime\":\"".Length;
    }

    /// <summary>Connects as <paramref name="userName"/> with client id <c>light-{worker}</c>.</summary>
    public static async Task<LightMqttPublisher> ConnectAsync(IPEndPoint broker, string userName, string password, long datastream, int qos, int window, int worker, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, ushort.MaxValue);
        var socket = await MqttWire.ConnectAsync(broker, $"light-{worker}", userName, password, ct);
        return new LightMqttPublisher(socket, datastream, qos, window, worker);
    }

    /// <summary>
    /// Publishes until <paramref name="load"/> stops, reporting each acknowledged observation (QoS 1) or handled
    /// burst (QoS 0) with its latency in milliseconds; sends DISCONNECT at the end.
    /// </summary>
    public async Task RunAsync(LoadWindow load, CancellationToken ct)
    {
        var latencies = load.NewLatencyList();
        if (_qos == 1)
        {
            await RunAcknowledgedAsync(load, latencies, ct);
        }
        else
        {
            await RunBurstsAsync(load, latencies, ct);
        }

        await _socket.SendAsync(MqttWire.DisconnectPacket.ToArray(), ct);
    }

    private async Task RunAcknowledgedAsync(LoadWindow load, List<double> latencies, CancellationToken ct)
    {
        var outgoing = new byte[_template.Length * _window];
        var sentAt = new long[_window + 1];
        var length = 0;
        for (var id = 1; id <= _window; id++)
        {
            length += Stamp(outgoing.AsSpan(length), (ushort)id);
            sentAt[id] = Stopwatch.GetTimestamp();
        }

        await SendAllAsync(outgoing.AsMemory(0, length), ct);
        var incoming = new byte[4 * _window];
        var held = 0;
        var inFlight = _window;
        while (inFlight > 0)
        {
            var read = await _socket.ReceiveAsync(incoming.AsMemory(held), ct);
            if (read == 0)
            {
                throw new IOException("the broker closed the connection");
            }

            held += read;
            var stopping = load.Stopping;
            length = 0;
            var at = 0;
            for (; held - at >= 4; at += 4)
            {
                // A PUBACK is 0x40, remaining length 2, the packet identifier (§3.4); nothing else is expected here.
                if (incoming[at] != MqttWire.PubAck || incoming[at + 1] != 2)
                {
                    throw new IOException($"expected a PUBACK, got packet type 0x{incoming[at]:X2} with remaining length {incoming[at + 1]}");
                }

                var id = BinaryPrimitives.ReadUInt16BigEndian(incoming.AsSpan(at + 2));
                var now = Stopwatch.GetTimestamp();
                load.Acknowledged(1, Stopwatch.GetElapsedTime(sentAt[id], now).TotalMilliseconds, latencies);
                if (stopping)
                {
                    inFlight--;
                    continue;
                }

                length += Stamp(outgoing.AsSpan(length), id);
                sentAt[id] = now;
            }

            held -= at;
            incoming.AsSpan(at, held).CopyTo(incoming);
            if (length > 0)
            {
                await SendAllAsync(outgoing.AsMemory(0, length), ct);
            }
        }
    }

    private async Task RunBurstsAsync(LoadWindow load, List<double> latencies, CancellationToken ct)
    {
        var outgoing = new byte[(_template.Length * _window) + 2];
        var pingResponse = new byte[2];
        while (!load.Stopping)
        {
            var length = 0;
            for (var i = 0; i < _window; i++)
            {
                length += Stamp(outgoing.AsSpan(length), 0);
            }

            MqttWire.PingRequest.CopyTo(outgoing.AsSpan(length));
            var start = Stopwatch.GetTimestamp();
            await SendAllAsync(outgoing.AsMemory(0, length + 2), ct);
            await MqttWire.ReceiveExactlyAsync(_socket, pingResponse, ct);
            if (pingResponse[0] != MqttWire.PingResp || pingResponse[1] != 0)
            {
                throw new IOException($"expected a PINGRESP, got packet type 0x{pingResponse[0]:X2}");
            }

            load.Acknowledged(_window, Stopwatch.GetElapsedTime(start).TotalMilliseconds, latencies);
        }
    }

    /// <summary>Writes the next PUBLISH into <paramref name="into"/>: the template with <paramref name="packetId"/> and a phenomenonTime of its own.</summary>
    private int Stamp(Span<byte> into, ushort packetId)
    {
        _template.CopyTo(into);
        if (_packetIdAt >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(into[_packetIdAt..], packetId);
        }

        // A distinct time per worker and sequence, as the MQTTnet clients of this benchmark send.
        var time = s_t0.AddMilliseconds(_sequence++).AddTicks(_worker);
        if (!time.TryFormat(into.Slice(_timeAt, TimeLength), out var written, TimeFormat, CultureInfo.InvariantCulture) || written != TimeLength)
        {
            throw new InvalidOperationException("a phenomenonTime did not take its 28 bytes");
        }

        return _template.Length;
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (bytes.Length > 0)
        {
            bytes = bytes[await _socket.SendAsync(bytes, ct)..];
        }
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>
/// The measuring frame shared by a run's closed loops: whether the warm-up is over, whether the loops should
/// stop, how many observations were acknowledged in the measured window and in all, and each loop's latencies.
/// </summary>
internal sealed class LoadWindow
{
    private readonly List<List<double>> _latencies = [];
    private long _measured;
    private long _all;
    private volatile bool _measuring;
    private volatile bool _stopping;

    public bool Stopping => _stopping;

    public long Measured => Interlocked.Read(ref _measured);

    public long All => Interlocked.Read(ref _all);

    /// <summary>A latency list for one loop, kept for the percentiles.</summary>
    public List<double> NewLatencyList()
    {
        var list = new List<double>(capacity: 4096);
        lock (_latencies)
        {
            _latencies.Add(list);
        }

        return list;
    }

    /// <summary>One answer that acknowledged <paramref name="observations"/>, <paramref name="milliseconds"/> after its request; <paramref name="mine"/> is the loop's own list.</summary>
    public void Acknowledged(int observations, double milliseconds, List<double> mine)
    {
        Interlocked.Add(ref _all, observations);
        if (_measuring)
        {
            mine.Add(milliseconds);
            Interlocked.Add(ref _measured, observations);
        }
    }

    public void StartMeasuring() => _measuring = true;

    public void StopMeasuring() => _measuring = false;

    public void Stop() => _stopping = true;

    /// <summary>Every latency of the measured window, sorted.</summary>
    public double[] SortedLatencies()
    {
        double[] sorted;
        lock (_latencies)
        {
            sorted = [.. _latencies.SelectMany(l => l)];
        }

        Array.Sort(sorted);
        return sorted;
    }
}
