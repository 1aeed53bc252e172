using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Server;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The embedded broker's TCP endpoint, in place of MQTTnet's own: it listens as MQTTnet's does (the default
/// endpoint's IPv4 and IPv6 addresses, port, back-log, no-delay and linger options) and hands each connection to
/// MQTTnet's packet reader and writer (<see cref="MqttChannelAdapter"/>), but over a connection that reads through a
/// buffer of its own (<see cref="BufferedSocketChannel"/>).
/// </summary>
/// <remarks>
/// Why: MQTTnet 5 reads a packet in pieces straight from the socket — the fixed header's two bytes, each further
/// byte of the remaining length, then the body — and each piece is a <c>recv</c> system call. A PUBLISH of one
/// observation (about 150 bytes, so a two-byte remaining length) took three, and a kernel entry costs microseconds
/// against a budget of 40 µs of server CPU per observation (docs/benchmarks.md, sta-mqtt-ack). Read into a buffer,
/// one <c>recv</c> serves the whole packet, and also the next ones that the client has sent meanwhile.
/// TLS is not offered: the broker does not configure it (an endpoint with TLS options is refused at start).
/// </remarks>
internal sealed partial class MqttTcpEndpoint(ILogger logger) : IMqttServerAdapter
{
    /// <summary>How long the accept loop waits after an unexpected failure (such as running out of file descriptors) before it accepts again.</summary>
    private static readonly TimeSpan s_acceptRetryDelay = TimeSpan.FromSeconds(1);

    private readonly List<Socket> _listeners = [];
    private CancellationTokenSource? _stopping;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        if (options.TlsEndpointOptions is { IsEnabled: true })
        {
            throw new NotSupportedException("The embedded broker's endpoint does not offer TLS.");
        }

        var endpoint = options.DefaultEndpointOptions;
        if (!endpoint.IsEnabled)
        {
            return Task.CompletedTask;
        }

        _stopping = new CancellationTokenSource();
        try
        {
            Listen(endpoint, options, logger, _stopping.Token);
        }
        catch
        {
            // An address that cannot be bound (a port in use) fails the start: the other family's listener goes too.
            Stop();
            throw;
        }

        return Task.CompletedTask;
    }

    private void Listen(MqttServerTcpEndpointOptions endpoint, MqttServerOptions options, IMqttNetLogger logger, CancellationToken stopping)
    {
        foreach (var address in new[] { endpoint.BoundInterNetworkAddress, endpoint.BoundInterNetworkV6Address })
        {
            if (address.Equals(IPAddress.None))
            {
                continue;
            }

            var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // Accepted connections inherit these; linger 0 resets a dropped connection rather than holding its port in TIME_WAIT, as MQTTnet does.
                listener.NoDelay = endpoint.NoDelay;
                if (endpoint.LingerState is { } linger)
                {
                    listener.LingerState = linger;
                }

                listener.Bind(new IPEndPoint(address, endpoint.Port));
                listener.Listen(endpoint.ConnectionBacklog);
            }
            catch
            {
                listener.Dispose();
                throw;
            }

            // Port 0 asks for any free port: the second address listens on the port the first one got.
            endpoint.Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            _listeners.Add(listener);
            _ = AcceptAsync(listener, options, logger, stopping);
        }
    }

    public Task StopAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        _stopping?.Cancel();
        _stopping?.Dispose();
        _stopping = null;
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
    }

    private async Task AcceptAsync(Socket listener, MqttServerOptions options, IMqttNetLogger mqttLogger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.ConnectionAborted)
            {
                // A connection reset before it was accepted, or the listener closing: the loop's condition tells which.
                continue;
            }
            catch (SocketException e)
            {
                Log.AcceptFailed(logger, e);
                await Task.Delay(s_acceptRetryDelay, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            _ = Task.Run(() => ServeAsync(connection, options, mqttLogger), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket connection, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        try
        {
            connection.NoDelay = options.DefaultEndpointOptions.NoDelay;
            using var adapter = new MqttChannelAdapter(
                new BufferedSocketChannel(connection),
                new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax)),
                mqttLogger)
            {
                AllowPacketFragmentation = options.DefaultEndpointOptions.AllowPacketFragmentation,
            };
            if (ClientHandler is { } handler)
            {
                await handler(adapter).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or MqttCommunicationException)
        {
            // The client went away while it was being served: nothing to report.
        }
        catch (Exception e)
        {
            Log.ConnectionFailed(logger, e);
        }
        finally
        {
            connection.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1019, Level = LogLevel.Error, Message = "The MQTT broker could not accept a connection; it tries again in a second")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "An MQTT connection failed")]
        public static partial void ConnectionFailed(ILogger logger, Exception exception);
    }
}

/// <summary>
/// An accepted TCP connection as MQTTnet's packet reader and writer use it: reads are served from a receive buffer,
/// refilled with one <c>recv</c> of whatever the socket holds (up to <see cref="ReceiveBufferSize"/>) when it is
/// empty; writes go straight to the socket. One reader (the connection's receive loop) and one writer at a time
/// (MQTTnet's adapter serialises its sends) use it, as MQTTnet's own channel.
/// </summary>
internal sealed class BufferedSocketChannel(Socket socket) : IMqttChannel
{
    /// <summary>
    /// Bytes read from the socket at most at once: 4 KiB holds a few dozen PUBLISHes of an observation; a read that
    /// asks for more than this (a large body) goes straight to the socket once the buffer is empty.
    /// </summary>
    public const int ReceiveBufferSize = 4096;

    private readonly byte[] _received = new byte[ReceiveBufferSize];
    private int _next;
    private int _end;

    public X509Certificate2? ClientCertificate => null;

    public EndPoint RemoteEndPoint { get; } = socket.RemoteEndPoint!;

    public EndPoint LocalEndPoint { get; } = socket.LocalEndPoint!;

    public bool IsSecureConnection => false;

    public Task ConnectAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("An accepted connection is connected already.");

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Up to <paramref name="count"/> bytes: those buffered, or else those of one read of the socket; 0 when the connection has ended.</summary>
    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _next < _end
            ? Task.FromResult(TakeBuffered(buffer.AsSpan(offset, count)))
            : ReceiveAsync(buffer.AsMemory(offset, count), cancellationToken);
    }

    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            foreach (var segment in buffer)
            {
                for (var rest = segment; !rest.IsEmpty;)
                {
                    rest = rest[await socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
                }
            }
        }
        catch (ObjectDisposedException)
        {
            throw new MqttCommunicationException("The TCP connection is closed.");
        }
    }

    public void Dispose() => socket.Dispose();

    private async Task<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            if (destination.Length >= _received.Length)
            {
                return await socket.ReceiveAsync(destination, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            _next = 0;
            _end = await socket.ReceiveAsync(_received, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return TakeBuffered(destination.Span);
        }
        catch (ObjectDisposedException)
        {
            // Closed while reading (the broker ends the connection): the end of the stream, as MQTTnet's own channel says.
            return 0;
        }
    }

    private int TakeBuffered(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _next);
        _received.AsSpan(_next, count).CopyTo(destination);
        _next += count;
        return count;
    }
}
