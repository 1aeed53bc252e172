using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Tweeling.Server.Features.Platform;

namespace Tweeling.Server.Tests.Platform;

/// <summary>The HTML report of <see cref="SampleScenarioRun"/>, read with AngleSharp's HTML5 parser as a browser would build it.</summary>
public sealed class ScenarioResultsReportTests
{
    private static IDocument Report()
    {
        var run = SampleScenarioRun.Create();
        var html = ScenarioResultsReport.Render(run, ScenarioResultsTable.From(run), SampleScenarioRun.Buurten());
        return new HtmlParser().ParseDocument(html);
    }

    [Fact]
    public void The_report_is_one_dutch_self_contained_page_with_summary_interventions_matrix_and_a_section_per_domain()
    {
        var document = Report();

        Assert.Equal("nl", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Scenariorapport: Stationsgebied", Assert.Single(document.QuerySelectorAll("h1")).TextContent);
        Assert.Equal(
            ["Samenvatting", "Ingrepen", "Impactmatrix", "Domein sociaal", "Domein fysiek", "Domein milieu", "Verantwoording"],
            document.QuerySelectorAll("h2").Select(h => h.TextContent));
        Assert.Contains("De bevolking 10 jaar ouder maken", Assert.Single(document.QuerySelectorAll("#ingrepen + ol > li")).TextContent, StringComparison.Ordinal);
        Assert.Contains("2 van de 3 indicatoren", document.QuerySelector("#samenvatting + p")!.TextContent, StringComparison.Ordinal);

        // Nothing to fetch and nothing to run: no script, no stylesheet link, no image, no frame, no external reference.
        Assert.Empty(document.QuerySelectorAll("script, link, img, iframe, object, embed"));
        Assert.DoesNotContain(document.All, e => e.Attributes.Any(a => a.Name is "src" or "href" or "xlink:href"));
        Assert.DoesNotContain(document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_map_and_chart_is_an_image_with_a_title_a_caption_and_a_table_of_the_same_numbers()
    {
        var document = Report();
        var svgs = document.QuerySelectorAll("svg");

        // The matrix chart, and per indicator with buurt values a map and a chart.
        Assert.Equal(1 + 3 * 2, svgs.Length);
        foreach (var svg in svgs)
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            Assert.All(svg.GetAttribute("aria-labelledby")!.Split(' '), id => Assert.NotNull(document.GetElementById(id)));
            Assert.False(string.IsNullOrWhiteSpace(svg.QuerySelector("title")?.TextContent));
            Assert.NotNull(svg.Closest("figure")!.QuerySelector("figcaption"));
            if (svg.GetAttribute("aria-describedby") is { } tableId)
            {
                Assert.Equal("TABLE", document.GetElementById(tableId)!.TagName);
            }
        }

        Assert.Equal(4, svgs.Count(s => s.HasAttribute("aria-describedby")));
        foreach (var table in document.QuerySelectorAll("table"))
        {
            Assert.False(string.IsNullOrWhiteSpace(table.QuerySelector("caption")?.TextContent));
            Assert.All(table.QuerySelectorAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        }
    }

    [Fact]
    public void The_no2_map_colours_each_buurt_by_its_change_and_the_table_gives_it_in_dutch_notation()
    {
        var document = Report();
        var map = document.GetElementById("indicator-no2-jaargemiddelde-kaart-titel")!.ParentElement!;
        var fills = map.QuerySelectorAll("path").ToDictionary(p => p.QuerySelector("title")!.TextContent.Split(':')[0], p => p.GetAttribute("fill"));

        // NO2: lower is better. Buurt 1 +0.5 % (equal), buurt 2 +15 % (much worse, dark red), buurt 3 −5 % (better, light blue).
        Assert.Equal(new Dictionary<string, string?> { ["Buurt 1"] = "#f7f7f7", ["Buurt 2"] = "#b2182b", ["Buurt 3"] = "#67a9cf" }, fills);
        var rows = document.GetElementById("indicator-no2-jaargemiddelde-tabel")!.QuerySelectorAll("tbody tr")
            .ToDictionary(r => r.QuerySelector("th")!.TextContent, r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToList());
        Assert.Equal(["BU2", "20,0", "23,0", "+3,00", "+15 %"], rows["Buurt 2"]);
        Assert.Equal(["BU3", "10,0", "9,50", "−0,50", "−5 %"], rows["Buurt 3"]);
        var matrixRow = document.GetElementById("matrix-tabel")!.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("NO2", StringComparison.Ordinal));
        Assert.Contains("hoger (slechter)", matrixRow.TextContent, StringComparison.Ordinal);
    }
}
