using System.Text.Json;

namespace Tweeling.Server.Tests.Live;

/// <summary>A client on <c>/api/v1/live</c> that reads events by type.</summary>
internal sealed class LiveStream(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public static async Task<LiveStream> OpenAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal("event: verbonden", await reader.ReadLineAsync(TestContext.Current.CancellationToken));
        return new LiveStream(response, reader);
    }

    /// <summary>The data of the next event of <paramref name="type"/>, skipping others; fails after <paramref name="wait"/> (five seconds).</summary>
    public async Task<JsonElement> NextAsync(string type, TimeSpan? wait = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait ?? TimeSpan.FromSeconds(5));
        string? eventType = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == type)
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }

        throw new InvalidOperationException($"The live stream ended before an '{type}' event.");
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
