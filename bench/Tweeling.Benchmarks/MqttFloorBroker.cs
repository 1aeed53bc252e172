using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MQTTnet.Server;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;

namespace Tweeling.Benchmarks;

/// <summary>
/// The server-side floor of <c>mqtt-ingest</c>: MQTTnet's broker with the server's broker options and the server's
/// payload parser, acknowledging each PUBLISH at once and storing nothing, in a process of its own (this program again,
/// hidden verb <c>mqtt-floor-broker</c>) so that its CPU is measured from /proc apart from the generator's, as the
/// server's is. It runs with the server's runtime configuration (<c>tweeling.runtimeconfig.json</c>: server GC, the
/// JIT settings of ADR 0004), so the floor and the server differ only in what Tweeling does for an observation.
/// </summary>
internal static class MqttFloorBroker
{
    /// <summary>The line the floor process writes once its broker listens.</summary>
    private const string Ready = "mqtt-floor-broker ready";

    /// <summary>The hidden verb's name; not listed in the help, started only by <see cref="StartAsync"/>.</summary>
    public const string Verb = "mqtt-floor-broker";

    /// <summary>
    /// The floor process's own work: the broker on loopback <paramref name="port"/>, every payload parsed as the server
    /// parses one for Datastream <paramref name="datastream"/>, until its standard input closes (the benchmark ended or died).
    /// </summary>
    public static async Task<int> RunAsync(int port, long datastream)
    {
        // As the server's MqttBroker configures it (persistent sessions, its pending-message bound); the generator's
        // clients connect over IPv4 loopback only, so the IPv6 listener the server adds is left out.
        using var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(MqttBroker.MaxPendingMessages)
            .Build());
        var refused = 0L;
        broker.InterceptingPublishAsync += publish =>
        {
            // Parsed where it lies, as the server's interceptor does; nothing is stored and the PUBACK goes at once.
            var payload = publish.ApplicationMessage.Payload;
            var (observation, _) = Observations.ParseBody(payload.IsSingleSegment ? payload.First : payload.ToArray(), datastream, DateTimeOffset.UtcNow);
            publish.ProcessPublish = false;
            if (observation is null)
            {
                Interlocked.Increment(ref refused);
                publish.Response.ReasonCode = MQTTnet.Protocol.MqttPubAckReasonCode.PayloadFormatInvalid;
            }

            return Task.CompletedTask;
        };
        await broker.StartAsync();
        Console.WriteLine(Ready);
        await Console.In.ReadToEndAsync();
        await broker.StopAsync();
        if (Interlocked.Read(ref refused) is > 0 and var count)
        {
            await Console.Error.WriteLineAsync($"{count} payloads could not be parsed");
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Starts the floor process on a free loopback port and waits (at most a minute) until its broker listens; the
    /// caller disposes it, which closes its standard input and so ends it.
    /// </summary>
    public static async Task<(Process Process, int Port)> StartAsync(long datastream, CancellationToken ct)
    {
        var port = BenchServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec", "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "tweeling.runtimeconfig.json"),
            Path.Combine(AppContext.BaseDirectory, "Tweeling.Benchmarks.dll"),
            Verb, "--port", port.ToString(CultureInfo.InvariantCulture), "--datastream", datastream.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the floor broker");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == Ready)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("floor broker: " + e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"the floor broker exited before it listened (code {process.ExitCode})"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(1), ct);
        }
        catch
        {
            Stop(process);
            throw;
        }

        return (process, port);
    }

    /// <summary>
    /// Ends the floor process: its input closes, and a process that does not end within 10 s is killed. True when it
    /// ended by itself having parsed every payload it was sent.
    /// </summary>
    public static bool Stop(Process process)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    return false;
                }
            }

            process.WaitForExit();
            return process.ExitCode == 0;
        }
    }
}
