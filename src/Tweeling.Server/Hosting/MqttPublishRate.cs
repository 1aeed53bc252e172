using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Counts each MQTT client's PUBLISHes per second of the server's clock and admits at most
/// <see cref="MqttConnectionLimitOptions.PublishesPerSecond"/> of them. The broker drops a PUBLISH over the limit: it
/// is not stored or relayed, an MQTT 5 client gets PUBACK reason 0x97 "quota exceeded" (an MQTT 3.1.1 client a plain
/// PUBACK, as that version has no reason codes), and one log line per client and second names the client, never the
/// payload. Dropping rather than disconnecting keeps a gateway's connection (and its session) while it slows down.
/// </summary>
internal sealed class MqttPublishRate(IOptions<MqttConnectionLimitOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>The most PUBLISHes a client may send in one second.</summary>
    public int PerSecond => options.Value.PublishesPerSecond;

    /// <summary>Counts a PUBLISH of <paramref name="clientId"/>: whether it is admitted, and whether it is the first one refused in this second.</summary>
    public (bool Admitted, bool FirstRefused) Count(string clientId)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var window = _windows.GetOrAdd(clientId, _ => new Window());
        lock (window)
        {
            if (window.Second != second)
            {
                (window.Second, window.Count) = (second, 0);
            }

            window.Count++;
            return (window.Count <= PerSecond, window.Count == PerSecond + 1);
        }
    }

    /// <summary>Forgets a client that disconnected, so the counts do not grow with every client id ever seen.</summary>
    public void Disconnected(string clientId) => _windows.TryRemove(clientId, out _);

    /// <summary>A client's count in the second it last published in.</summary>
    private sealed class Window
    {
        public long Second { get; set; } = long.MinValue;

        public int Count { get; set; }
    }
}
