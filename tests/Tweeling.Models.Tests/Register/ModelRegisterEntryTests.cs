using System.Text.Json;
using System.Text.Json.Nodes;
using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;
using Tweeling.Models.Accessibility;
using Tweeling.Models.AirQuality;
using Tweeling.Models.Facilities;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Liveability;
using Tweeling.Models.Noise;
using Tweeling.Models.Population;
using Tweeling.Models.Social;
using Tweeling.Models.Traffic;

namespace Tweeling.Models.Tests.Register;

public sealed class ModelRegisterEntryTests
{
    private static readonly RegisterPublisher s_publisher = new("Gemeente Dordrecht", "algoritmes@example.nl", "https://tweeling.example.nl/api/v1/algoritmes");

    public static TheoryData<string> Models => [RoadNoiseModel.ModelId, HeatModel.ModelId, GreenModel.ModelId];

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_model_has_a_register_entry_that_meets_the_publication_standard(string modelId)
    {
        var algorithm = Algorithm(modelId);
        var entry = algorithm.Describe(s_publisher);

        Assert.Empty(RegisterValidator.Validate(entry));
        Assert.Equal(modelId, algorithm.Id);
        Assert.Equal(modelId, entry.SourceId);
        Assert.Equal($"https://tweeling.example.nl/api/v1/algoritmes/{modelId}", entry.Url);
        Assert.Empty(algorithm.Approvals.Kinds);
        Assert.False(string.IsNullOrWhiteSpace(algorithm.Approvals.Reason));
    }

    /// <summary>
    /// The ten scenario models' entries, serialized as the register publishes them, are exactly the reviewed text in
    /// model-register.json (recorded before their shared fields moved into <see cref="InternalModelEntry"/>). A change
    /// to an entry shows up here as a diff to review; the actual register is written next to the test output.
    /// </summary>
    [Fact]
    public void The_model_entries_serialize_exactly_as_the_reviewed_register()
    {
        IRegisteredAlgorithm[] algorithms =
        [
            new PopulationAlgorithm(), new SocialAlgorithm(), new LiveabilityAlgorithm(), new TrafficAlgorithm(), new AirQualityAlgorithm(),
            new RoadNoiseAlgorithm(), new HeatAlgorithm(), new GreenAlgorithm(), new FacilitiesAlgorithm(), new AccessibilityAlgorithm(),
        ];
        var register = new JsonArray([.. algorithms.Select(a => (JsonNode)RegisterDocument.ToJson(a.Describe(s_publisher)))]);
        var actual = register.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

        var written = Path.Combine(AppContext.BaseDirectory, "model-register.actual.json");
        File.WriteAllText(written, actual);
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Register", "model-register.json"));
        Assert.True(expected == actual, $"The model register differs from Register/model-register.json; the actual register is in {written}.");
    }

    private static IRegisteredAlgorithm Algorithm(string modelId) => modelId switch
    {
        RoadNoiseModel.ModelId => new RoadNoiseAlgorithm(),
        HeatModel.ModelId => new HeatAlgorithm(),
        _ => new GreenAlgorithm(),
    };
}
