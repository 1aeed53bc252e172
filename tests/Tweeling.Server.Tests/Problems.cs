using System.Net.Http.Json;
using System.Text.Json;

namespace Tweeling.Server.Tests;

public static class Problems
{
    /// <summary>Asserts an RFC 9457 problem response with <paramref name="status"/> and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpClient client, string path, int status)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(detail), $"{path}: a problem must say what was wrong");
        return detail!;
    }
}
