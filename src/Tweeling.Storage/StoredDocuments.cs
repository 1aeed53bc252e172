using System.Text.Json;
using System.Text.Json.Serialization;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Indicators;

namespace Tweeling.Storage;

/// <summary>How catalog and indicator records are kept as JSON documents inside a store.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Dataset))]
[JsonSerializable(typeof(IndicatorDefinition))]
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
[JsonSerializable(typeof(IReadOnlyList<long>))]
internal sealed partial class StoredDocuments : JsonSerializerContext
{
    public static string Serialize(Dataset dataset) => JsonSerializer.Serialize(dataset, Default.Dataset);

    public static string Serialize(IndicatorDefinition indicator) => JsonSerializer.Serialize(indicator, Default.IndicatorDefinition);

    public static Dataset ReadDataset(string json) =>
        JsonSerializer.Deserialize(json, Default.Dataset) ?? throw new InvalidDataException("A stored dataset document is empty.");

    public static IndicatorDefinition ReadIndicator(string json) =>
        JsonSerializer.Deserialize(json, Default.IndicatorDefinition) ?? throw new InvalidDataException("A stored indicator document is empty.");
}
