using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;
using Tweeling.Models.Green;
using Tweeling.Models.Heat;
using Tweeling.Models.Noise;

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

    private static IRegisteredAlgorithm Algorithm(string modelId) => modelId switch
    {
        RoadNoiseModel.ModelId => new RoadNoiseAlgorithm(),
        HeatModel.ModelId => new HeatAlgorithm(),
        _ => new GreenAlgorithm(),
    };
}
