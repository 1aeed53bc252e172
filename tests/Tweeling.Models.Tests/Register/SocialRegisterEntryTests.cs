using Tweeling.Domain.Algorithms;
using Tweeling.Domain.Reviews;
using Tweeling.Governance.Register;
using Tweeling.Models.Liveability;
using Tweeling.Models.Social;

namespace Tweeling.Models.Tests.Register;

/// <summary>
/// The register entries of the social (2j) and liveability (2i) models meet publication standard v1.0.0 and carry the
/// fairness rules of shared/reference/models.md §7: aggregates only, uncertainty shown, an IAMA before use.
/// </summary>
public sealed class SocialRegisterEntryTests
{
    public static TheoryData<string> Models => [SocialModel.ModelId, LiveabilityModel.ModelId];

    [Theory]
    [MemberData(nameof(Models))]
    public void The_entry_validates_and_asks_for_an_iama_but_no_dpia(string modelId)
    {
        IRegisteredAlgorithm algorithm = modelId == SocialModel.ModelId ? new SocialAlgorithm() : new LiveabilityAlgorithm();
        var publishers = new[]
        {
            new RegisterPublisher("Gemeente Dordrecht", "algoritmes@dordrecht.example", "https://tweeling.example.nl/api/v1/algoritmes"),
            new RegisterPublisher(new string('G', 100), "https://gemeente.example/contact"),
        };

        foreach (var publisher in publishers)
        {
            var entry = algorithm.Describe(publisher);
            var violations = RegisterValidator.Validate(entry);

            Assert.True(violations.Count == 0, string.Join("; ", violations.Select(v => $"{v.Field} ({v.Rule}): {v.Message}")));
            Assert.Equal(modelId, algorithm.Id);
            Assert.Equal(modelId, entry.SourceId);
            Assert.Equal(publisher.EntryUrl(modelId), entry.Url);
        }

        Assert.Equal([ReviewKind.Iama], algorithm.Approvals.Kinds);
        Assert.Contains("IAMA", algorithm.Approvals.Reason, StringComparison.Ordinal);
        Assert.Contains("geen persoonsgegevens", algorithm.Approvals.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_social_entry_states_aggregates_only_the_uncertainty_and_the_disclosure_threshold()
    {
        var entry = new SocialAlgorithm().Describe(new RegisterPublisher("Gemeente Dordrecht", "algoritmes@dordrecht.example"));

        Assert.Contains("per buurt, nooit per huishouden", entry.DescriptionShort, StringComparison.Ordinal);
        Assert.Contains("onder- en bovengrens", entry.Proportionality, StringComparison.Ordinal);
        Assert.Contains("minstens 100 huishoudens", entry.Risks, StringComparison.Ordinal);
        Assert.Contains("nationaliteit of afkomst", entry.Risks, StringComparison.Ordinal);
    }

    [Fact]
    public void The_liveability_entry_says_it_is_indicative_and_not_the_official_leefbaarometer()
    {
        var entry = new LiveabilityAlgorithm().Describe(new RegisterPublisher("Gemeente Dordrecht", "algoritmes@dordrecht.example"));

        Assert.Contains("niet de officiële Leefbaarometer", entry.DescriptionShort, StringComparison.Ordinal);
        Assert.Contains("indicatief", entry.Proportionality, StringComparison.Ordinal);
    }
}
