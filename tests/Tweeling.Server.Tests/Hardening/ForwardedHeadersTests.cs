using System.Net;
using Tweeling.Server.Tests.Live;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// X-Forwarded-For from a trusted proxy (<c>Tweeling:Proxies:Known</c>) names the client whose limits apply; from any
/// other sender it is ignored. Shown with the live-stream cap per client address (one stream each), which does not
/// depend on timing as a request rate does; the rate limiter and the live-stream cap read the same client address.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limits()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, Settings("127.0.0.0/8"));
        using var proxied = Forwarding(server, "203.0.113.10");
        using var first = await LiveStream.OpenAsync(proxied);

        using var sameClient = await OpenLiveAsync(server, "203.0.113.10");
        using var otherClient = await OpenLiveAsync(server, "203.0.113.11");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    [Fact]
    public async Task From_a_sender_that_is_not_a_trusted_proxy_x_forwarded_for_is_ignored()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, Settings("10.0.0.5"));
        using var proxied = Forwarding(server, "203.0.113.10");
        using var first = await LiveStream.OpenAsync(proxied);

        using var claimedOtherClient = await OpenLiveAsync(server, "203.0.113.11");

        Assert.Equal(HttpStatusCode.TooManyRequests, claimedOtherClient.StatusCode);
    }

    /// <summary>Without configuration nothing is trusted, loopback included (the framework's own default trusts loopback).</summary>
    [Fact]
    public async Task Without_known_proxies_no_forwarded_header_is_believed_not_even_from_loopback()
    {
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, Settings());
        using var proxied = Forwarding(server, "203.0.113.10");
        using var first = await LiveStream.OpenAsync(proxied);

        using var claimedOtherClient = await OpenLiveAsync(server, "203.0.113.11");

        Assert.Equal(HttpStatusCode.TooManyRequests, claimedOtherClient.StatusCode);
    }

    [Fact]
    public async Task A_known_proxy_that_is_not_an_address_or_network_stops_the_start_with_the_reason()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TwinServer.StartAsync(_ => Task.CompletedTask, Settings("10.0.0.0/99")));

        Assert.Contains("Tweeling:Proxies:Known", failure.Message, StringComparison.Ordinal);
    }

    private static HttpClient Forwarding(TwinServer server, string client)
    {
        var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        return http;
    }

    private static async Task<HttpResponseMessage> OpenLiveAsync(TwinServer server, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live");
        request.Headers.Add("X-Forwarded-For", client);
        return await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
    }

    private static Dictionary<string, string?> Settings(params string[] known)
    {
        var settings = new Dictionary<string, string?>(TwinServer.OpenUnlabelledSensors) { ["Tweeling:Limits:LiveStreamsPerClient"] = "1" };
        for (var i = 0; i < known.Length; i++)
        {
            settings[$"Tweeling:Proxies:Known:{i}"] = known[i];
        }

        return settings;
    }
}
