using Tweeling.TestSupport;

namespace Tweeling.Ingestion.Tests;

public sealed class RealDataAvailable
{
    [Fact]
    public void Real_data_folder_is_found_or_the_skip_reason_says_why()
    {
        Assert.SkipWhen(RealData.Directory is null, RealData.SkipReason ?? string.Empty);
        Assert.True(File.Exists(RealData.File("cbs_wijkbuurtkaart/buurten_2024_gegeneraliseerd_dordrecht.geojson")));
    }
}
