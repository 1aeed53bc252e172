using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;
using Tweeling.Models.Accessibility;
using Tweeling.Models.Facilities;

namespace Tweeling.Models.Tests.Facilities;

/// <summary>The register entries of the facilities and accessibility models conform to publication standard v1.0.0.</summary>
public sealed class FacilitiesAlgorithmTests
{
    public static TheoryData<string> Models => [FacilitiesModel.ModelId, AccessibilityModel.ModelId];

    [Theory]
    [MemberData(nameof(Models))]
    public void The_register_entry_validates_with_the_longest_organisation_name(string modelId)
    {
        IRegisteredAlgorithm algorithm = modelId == FacilitiesModel.ModelId ? new FacilitiesAlgorithm() : new AccessibilityAlgorithm();
        var publishers = new[]
        {
            new RegisterPublisher("Gemeente Dordrecht", "algoritmes@dordrecht.example"),
            new RegisterPublisher(new string('G', 100), "https://gemeente.example/contact", "https://tweeling.gemeente.example/api/v1/algoritmes"),
        };

        foreach (var publisher in publishers)
        {
            var entry = algorithm.Describe(publisher);
            var violations = RegisterValidator.Validate(entry);

            Assert.True(violations.Count == 0, string.Join("; ", violations.Select(v => $"{v.Field} ({v.Rule}): {v.Message}")));
            Assert.Equal(modelId, algorithm.Id);
            Assert.Equal(modelId, entry.SourceId);
            Assert.Empty(algorithm.Approvals.Kinds);
            Assert.False(string.IsNullOrWhiteSpace(algorithm.Approvals.Reason));
        }
    }
}
