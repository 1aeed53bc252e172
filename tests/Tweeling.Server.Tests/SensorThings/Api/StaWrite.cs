using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Sensors;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>Writes to the SensorThings API of a <see cref="TwinServer"/> and checks what the store holds afterwards.</summary>
public static class StaWrite
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> SendAsync(TwinServer server, string method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");

            // A large body waits for 100 Continue (RFC 9110 §10.1.1): the server refuses one over its limit before
            // reading it and closes the connection, which would otherwise cut the upload and lose the 413 answer.
            request.Headers.ExpectContinue = json.Length > 64 * 1024;
        }

        return server.Writer.SendAsync(request, Cancel);
    }

    /// <summary>Sends a write that must succeed with <paramref name="status"/>; returns the response body.</summary>
    public static async Task<JsonElement> ExpectAsync(TwinServer server, string method, string path, string json, int status)
    {
        using var response = await SendAsync(server, method, path, json);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {body}");
        var entity = JsonDocument.Parse(body).RootElement.Clone();
        if (status == 201)
        {
            Assert.Equal(entity.GetProperty("@iot.selfLink").GetString(), response.Headers.Location!.ToString());
        }

        return entity;
    }

    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }

    /// <summary>How many entities of each kind the store holds (Observations over all Datastreams), to show that a failed write stored nothing.</summary>
    public static async Task<string> CountsAsync(TwinServer server)
    {
        var store = server.Store.Sensors;
        var datastreams = await store.ListAsync<Datastream>(0, 10_000, Cancel);
        long observations = 0;
        foreach (var datastream in datastreams)
        {
            observations += (await store.ObservationsAsync(datastream.Id, null, null, 100_000, 0, Domain.Ports.TimeOrder.OldestFirst, Cancel)).Count;
        }

        return string.Join(
            ", ",
            $"things {(await store.ListAsync<Thing>(0, 10_000, Cancel)).Count}",
            $"locations {(await store.ListAsync<StaLocation>(0, 10_000, Cancel)).Count}",
            $"historical {(await store.ListAsync<HistoricalLocation>(0, 10_000, Cancel)).Count}",
            $"datastreams {datastreams.Count}",
            $"sensors {(await store.ListAsync<Sensor>(0, 10_000, Cancel)).Count}",
            $"properties {(await store.ListAsync<ObservedProperty>(0, 10_000, Cancel)).Count}",
            $"features {(await store.ListAsync<FeatureOfInterest>(0, 10_000, Cancel)).Count}",
            $"observations {observations}");
    }

    /// <summary>Every record of the server's audit log, oldest first.</summary>
    public static async Task<List<AuditRecord>> AuditRecordsAsync(TwinServer server)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in server.Store.Audit.ReadAsync(AuditFilter.All, Cancel))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Posts a <c>$batch</c> (OData 4.0 multipart) as the writer; the answer must be multipart. Returns its status and body.</summary>
    public static async Task<(int Status, string Body)> PostBatchAsync(TwinServer server, (string Boundary, string Body) batch)
    {
        using var content = new StringContent(batch.Body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={batch.Boundary}");
        using var response = await server.Writer.PostAsync("/sta/v1.1/$batch", content, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.Content.Headers.ContentType?.MediaType == "multipart/mixed", $"a $batch answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}");
        return ((int)response.StatusCode, body);
    }

    /// <summary>A batch body of <paramref name="parts"/> (<see cref="Part"/>, <see cref="ChangeSet"/>) with its boundary.</summary>
    public static (string Boundary, string Body) Batch(params string[] parts) => ("batch_1", Multipart("batch_1", parts));

    /// <summary>A change set of <paramref name="parts"/>: one write unit.</summary>
    public static string ChangeSet(params string[] parts) =>
        $"Content-Type: multipart/mixed; boundary=changeset_1\r\n\r\n{Multipart("changeset_1", parts)}";

    /// <summary>One <c>application/http</c> request of a batch.</summary>
    public static string Part(string method, string url, string? json = null, string? contentId = null, string contentType = "application/json") =>
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
        + (contentId is null ? string.Empty : $"Content-ID: {contentId}\r\n")
        + $"\r\n{method} {url} HTTP/1.1\r\n"
        + (json is null ? "\r\n" : $"Content-Type: {contentType}\r\n\r\n{json}");

    private static string Multipart(string boundary, string[] parts) =>
        string.Concat(parts.Select(p => $"--{boundary}\r\n{p}\r\n")) + $"--{boundary}--\r\n";
}
