using System.Globalization;
using System.Net;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using Tweeling.Domain.Features;
using Tweeling.Domain.Scenarios;
using Tweeling.Models.Results;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// The HTML report of a scenario run for a council member (<c>GET …/rapport</c>): one self-contained Dutch page —
/// summary, interventions, impact matrix, and per domain every indicator with a map of the buurten coloured by delta
/// and a bar chart, both inline SVG with a caption and a table of the same numbers. No script, no external asset: it
/// prints, mails and archives as one file.
/// </summary>
/// <remarks>
/// Accessibility (WCAG 2.1 AA as the Dutch government requires, Besluit digitale toegankelijkheid overheid): <c>lang="nl"</c>,
/// one <c>h1</c> and nested headings, every SVG <c>role="img"</c> with a <c>title</c> and a text alternative, every
/// chart's numbers also in a table with a caption and header cells, colours chosen from a colour-blind-safe diverging
/// scheme (ColorBrewer RdBu and PuOr) and never the only carrier of meaning: the tables say the same in words and numbers.
/// </remarks>
internal static class ScenarioResultsReport
{
    /// <summary>A delta beyond this fraction of the baseline is coloured as strong (dark) rather than mild (light).</summary>
    public const double StrongChange = 0.10;

    /// <summary>The width of a map or chart in SVG user units (CSS pixels at 100 %).</summary>
    private const double Width = 640;

    /// <summary>Bars in a chart: the buurten that move most; every buurt is in the table below it.</summary>
    private const int ChartBars = 12;

    /// <summary>Metres of outline simplification on the maps: invisible at a city's scale on a 640-pixel map, and it keeps the page small.</summary>
    private const double MapToleranceMetres = 5;

    // ColorBrewer RdBu (better/worse) and PuOr (higher/lower of an indicator that is not judged), 5 classes, colour-blind safe.
    private const string MuchBetter = "#2166ac", Better = "#67a9cf", Same = "#f7f7f7", Worse = "#ef8a62", MuchWorse = "#b2182b";
    private const string MuchHigher = "#5e3c99", Higher = "#b2abd2", Lower = "#fdb863", MuchLower = "#e66101", NoValue = "#bdbdbd";

    private static readonly NumberFormatInfo s_dutch = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", PercentDecimalSeparator = ",", PercentGroupSeparator = "." };

    /// <summary>The page for <paramref name="run"/>, whose rows are <paramref name="table"/>, with maps of <paramref name="buurten"/> (RD New).</summary>
    public static string Render(ScenarioRun run, ScenarioResultsTable table, IReadOnlyList<Feature> buurten)
    {
        var s = run.Scenario;
        var matrix = ScenarioResultsImpact.Matrix(table);
        var names = buurten.ToDictionary(b => b.Id, ScenarioResultsGeo.Name, StringComparer.Ordinal);
        var shapes = Shapes(buurten);
        var html = new StringBuilder(256 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Scenariorapport: ").Append(E(s.Name)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        html.Append("<h1>Scenariorapport: ").Append(E(s.Name)).Append("</h1>\n");
        html.Append("<p class=\"meta\">Versie ").Append(s.Version).Append(" · peildatum ").Append(Date(s.ReferenceDate)).Append(" · seed ").Append(run.Seed)
            .Append(" · rekentijd ").Append(Number(run.Elapsed.TotalSeconds)).Append(" s</p>\n");
        if (!string.IsNullOrWhiteSpace(s.Description))
        {
            html.Append("<p>").Append(E(s.Description)).Append("</p>\n");
        }

        Summary(html, matrix);
        Interventions(html, s.Interventions);
        Matrix(html, matrix);
        foreach (var row in matrix.Where(r => r.Cells.Count > 0))
        {
            html.Append("<section aria-labelledby=\"domein-").Append(ScenarioResultsImpact.Word(row.Domain)).Append("\">\n<h2 id=\"domein-")
                .Append(ScenarioResultsImpact.Word(row.Domain)).Append("\">Domein ").Append(DomainTitle(row.Domain)).Append("</h2>\n");
            foreach (var cell in row.Cells)
            {
                Indicator(html, table, cell, names, shapes);
            }

            html.Append("</section>\n");
        }

        Accountability(html, run);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private const string Style =
        "body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;line-height:1.5;margin:0}main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}"
        + "h1{font-size:1.8rem}h2{margin-top:2.5rem;border-bottom:2px solid #1a1a1a}h3{margin-top:2rem}.meta{color:#404040}"
        + "table{border-collapse:collapse;margin:0.5rem 0 1rem;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold;padding:0.25rem 0}"
        + "th,td{border:1px solid #767676;padding:0.2rem 0.5rem;text-align:left}td.n{text-align:right}thead th{background:#e8e8e8}"
        + "figure{margin:1rem 0}figcaption{font-style:italic;color:#404040}svg{max-width:100%;height:auto}"
        + ".legenda{display:flex;flex-wrap:wrap;gap:0.75rem;list-style:none;padding:0}.legenda span{display:inline-block;width:1rem;height:1rem;border:1px solid #404040;vertical-align:middle;margin-right:0.3rem}"
        + "@media print{h2{break-before:page}figure,table{break-inside:avoid}}";

    private static void Summary(StringBuilder html, IReadOnlyList<ImpactRow> matrix)
    {
        var cells = matrix.SelectMany(r => r.Cells).ToList();
        var moving = cells.Where(c => c.Direction != "gelijk").ToList();
        var domains = matrix.Where(r => r.Moves).Select(r => DomainTitle(r.Domain)).ToList();
        html.Append("<section aria-labelledby=\"samenvatting\">\n<h2 id=\"samenvatting\">Samenvatting</h2>\n<p>Voor de hele gemeente veranderen ")
            .Append(moving.Count).Append(" van de ").Append(cells.Count).Append(" indicatoren met meer dan ").Append(Percent(ScenarioResultsImpact.Threshold))
            .Append(" ten opzichte van de basissituatie. ")
            .Append(domains.Count == 0 ? "Geen enkel domein beweegt." : $"Domeinen in beweging (in de gemeente of in ten minste één buurt): {string.Join(", ", domains)}.")
            .Append("</p>\n");
        foreach (var (judgement, heading) in new[] { ("beter", "Grootste verbeteringen"), ("slechter", "Grootste verslechteringen"), ("neutraal", "Andere veranderingen") })
        {
            var top = moving.Where(c => c.Judgement == judgement).OrderByDescending(c => Math.Abs(c.City?.RelativeDelta ?? 0)).Take(3).ToList();
            if (top.Count == 0)
            {
                continue;
            }

            html.Append("<h3>").Append(heading).Append("</h3>\n<ul>\n");
            foreach (var c in top)
            {
                html.Append("<li>").Append(E(c.Indicator.Title)).Append(": van ").Append(Value(c.City!.Baseline, c.Indicator.Unit)).Append(" naar ")
                    .Append(Value(c.City.Scenario, c.Indicator.Unit)).Append(" (").Append(Signed(c.City.Delta)).Append(", ").Append(SignedPercent(c.City.RelativeDelta))
                    .Append("; zekerheid ").Append(ScenarioResultsImpact.Word(c.Indicator.Certainty)).Append(")</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<p>Een waarde telt als veranderd bij meer dan ").Append(Percent(ScenarioResultsImpact.Threshold))
            .Append(" van de basiswaarde. De modellen zijn vereenvoudigingen met een gedocumenteerde onzekerheid: lees een verandering als richting en orde van grootte, ")
            .Append("niet als voorspelling. De kolom zekerheid zegt per indicator hoe ver het niveau te vertrouwen is.</p>\n</section>\n");
    }

    private static void Interventions(StringBuilder html, IReadOnlyList<Intervention> interventions)
    {
        html.Append("<section aria-labelledby=\"ingrepen\">\n<h2 id=\"ingrepen\">Ingrepen</h2>\n");
        if (interventions.Count == 0)
        {
            html.Append("<p>Dit scenario heeft geen ingrepen: het is de basissituatie.</p>\n</section>\n");
            return;
        }

        html.Append("<ol>\n");
        foreach (var intervention in interventions)
        {
            html.Append("<li>").Append(E(Describe(intervention))).Append("</li>\n");
        }

        html.Append("</ol>\n</section>\n");
    }

    /// <summary>One intervention in a Dutch sentence; areas by their size in hectares, since a council member knows the place from the map.</summary>
    private static string Describe(Intervention intervention)
    {
        static string Hectares(Polygon p) => $"{Number(p.Area / 10_000)} ha";
        return intervention switch
        {
            AddDwellings a => $"{a.Count.ToString("N0", s_dutch)} woningen toevoegen ({ScenarioContent.Word(a.Type)}, {ScenarioContent.Word(a.Tenure)}) in een gebied van {Hectares(a.Area)}",
            DemolishDwellings d => $"Woningen slopen in een gebied van {Hectares(d.Area)}",
            AddFacility f => $"Voorziening toevoegen: {f.Kind} met capaciteit {Number(f.Capacity)}",
            RemoveFacility r => $"Voorziening {r.FacilityId} opheffen",
            ResizeFacility r => $"Capaciteit van voorziening {r.FacilityId} wijzigen naar {Number(r.Capacity)}",
            CloseRoads c => $"{c.LinkIds.Count} wegvak(ken) afsluiten voor gemotoriseerd verkeer: {string.Join(", ", c.LinkIds)}",
            SetRoadSpeed v => $"Snelheid op {v.LinkIds.Count} wegvak(ken) naar {Number(v.SpeedLimitKmh)} km/u: {string.Join(", ", v.LinkIds)}",
            TrafficFactor t => $"Gemotoriseerd verkeer vermenigvuldigen met {Number(t.Factor)} in een zone van {Hectares(t.Zone)}",
            AddGreen g => $"Groen toevoegen ({ScenarioContent.Word(g.Kind)}) op {Hectares(g.Area)}",
            AgePopulation p => $"De bevolking {p.Years} jaar ouder maken",
            MoveJobs m => $"{m.Count.ToString("N0", s_dutch)} banen verplaatsen van een gebied van {Hectares(m.From)} naar een gebied van {Hectares(m.To)}",
            _ => intervention.GetType().Name,
        };
    }

    private static void Matrix(StringBuilder html, IReadOnlyList<ImpactRow> matrix)
    {
        html.Append("<section aria-labelledby=\"impactmatrix\">\n<h2 id=\"impactmatrix\">Impactmatrix</h2>\n")
            .Append("<p>Per domein en indicator: de richting voor de hele gemeente, de verandering, hoeveel buurten meer dan ")
            .Append(Percent(ScenarioResultsImpact.Threshold)).Append(" stijgen of dalen, en hoe zeker de uitkomst is.</p>\n");
        var cells = matrix.SelectMany(r => r.Cells).ToList();
        Chart(html, "matrix-grafiek", "matrix-tabel",
            "Relatieve verandering per indicator voor de hele gemeente",
            [.. cells.Select(c => (c.Indicator.Title, c.City?.RelativeDelta, Fill(c.Indicator.Desirability, c.City)))], SignedPercent);
        html.Append("<table id=\"matrix-tabel\">\n<caption>Impactmatrix: richting, omvang en zekerheid per indicator</caption>\n<thead><tr>")
            .Append("<th scope=\"col\">Domein</th><th scope=\"col\">Indicator</th><th scope=\"col\">Richting</th><th scope=\"col\">Basis</th><th scope=\"col\">Scenario</th>")
            .Append("<th scope=\"col\">Verandering</th><th scope=\"col\">Relatief</th><th scope=\"col\">Buurten hoger</th><th scope=\"col\">Buurten lager</th><th scope=\"col\">Zekerheid</th></tr></thead>\n<tbody>\n");
        foreach (var row in matrix)
        {
            if (row.Cells.Count == 0)
            {
                html.Append("<tr><th scope=\"row\">").Append(DomainTitle(row.Domain)).Append("</th><td colspan=\"9\">Geen indicatoren in dit domein</td></tr>\n");
                continue;
            }

            foreach (var c in row.Cells)
            {
                html.Append("<tr><th scope=\"row\">").Append(DomainTitle(row.Domain)).Append("</th><td>").Append(E(c.Indicator.Title)).Append(" (").Append(E(c.Indicator.Unit)).Append(")</td><td>")
                    .Append(c.Direction).Append(c.Judgement is "beter" or "slechter" ? $" ({c.Judgement})" : "").Append("</td><td class=\"n\">").Append(Value(c.City?.Baseline, ""))
                    .Append("</td><td class=\"n\">").Append(Value(c.City?.Scenario, "")).Append("</td><td class=\"n\">").Append(Signed(c.City?.Delta))
                    .Append("</td><td class=\"n\">").Append(SignedPercent(c.City?.RelativeDelta)).Append("</td><td class=\"n\">").Append(c.BuurtenUp)
                    .Append("</td><td class=\"n\">").Append(c.BuurtenDown).Append("</td><td>").Append(ScenarioResultsImpact.Word(c.Indicator.Certainty)).Append("</td></tr>\n");
            }
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Indicator(StringBuilder html, ScenarioResultsTable table, ImpactCell cell, Dictionary<string, string> names, MapShapes shapes)
    {
        var i = cell.Indicator;
        var slug = Slug(i.Id);
        var buurten = table.Buurten(i.Id).ToList();
        html.Append("<h3 id=\"").Append(slug).Append("\">").Append(E(i.Title)).Append(" (").Append(E(i.Unit)).Append(")</h3>\n<p>Hele gemeente: ")
            .Append(Value(cell.City?.Baseline, i.Unit)).Append(" in de basissituatie, ").Append(Value(cell.City?.Scenario, i.Unit)).Append(" in het scenario (")
            .Append(Signed(cell.City?.Delta)).Append("). ").Append(Desirability(i.Desirability)).Append(" Zekerheid: ").Append(ScenarioResultsImpact.Word(i.Certainty))
            .Append(" — ").Append(E(i.CertaintyReason)).Append("</p>\n");
        if (buurten.Count == 0)
        {
            html.Append("<p>Deze indicator heeft geen waarden per buurt.</p>\n");
            return;
        }

        Map(html, slug, i, buurten, names, shapes);
        var top = buurten.Where(r => r.Delta is not null).OrderByDescending(r => Math.Abs(r.Delta!.Value)).ThenBy(r => r.Area, StringComparer.Ordinal).Take(ChartBars).ToList();
        Chart(html, $"{slug}-grafiek", $"{slug}-tabel",
            $"{i.Title}: verandering in {i.Unit} in de {top.Count} buurten die het meest veranderen",
            [.. top.Select(r => (names.GetValueOrDefault(r.Area, r.Area), r.Delta, Fill(i.Desirability, r)))], Signed);
        html.Append("<table id=\"").Append(slug).Append("-tabel\">\n<caption>").Append(E(i.Title)).Append(" per buurt (").Append(E(i.Unit)).Append(")</caption>\n<thead><tr>")
            .Append("<th scope=\"col\">Buurt</th><th scope=\"col\">Code</th><th scope=\"col\">Basis</th><th scope=\"col\">Scenario</th><th scope=\"col\">Verandering</th><th scope=\"col\">Relatief</th></tr></thead>\n<tbody>\n");
        foreach (var r in buurten)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(names.GetValueOrDefault(r.Area, r.Area))).Append("</th><td>").Append(E(r.Area)).Append("</td><td class=\"n\">")
                .Append(Value(r.Baseline, "")).Append("</td><td class=\"n\">").Append(Value(r.Scenario, "")).Append("</td><td class=\"n\">").Append(Signed(r.Delta))
                .Append("</td><td class=\"n\">").Append(SignedPercent(r.RelativeDelta)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>A map of the buurten coloured by the class of their delta, with a legend in words.</summary>
    private static void Map(StringBuilder html, string slug, ResultIndicator indicator, List<ResultRow> rows, Dictionary<string, string> names, MapShapes shapes)
    {
        if (shapes.Paths.Count == 0)
        {
            html.Append("<p>Geen buurtgrenzen beschikbaar voor een kaart; de tabel hieronder geeft alle waarden.</p>\n");
            return;
        }

        var byArea = rows.ToDictionary(r => r.Area, StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        html.Append("<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"").Append(slug).Append("-kaart-titel ").Append(slug)
            .Append("-kaart-bijschrift\" viewBox=\"0 0 ").Append(Svg(Width)).Append(' ').Append(Svg(shapes.Height)).Append("\" width=\"").Append(Svg(Width))
            .Append("\" height=\"").Append(Svg(shapes.Height)).Append("\">\n<title id=\"").Append(slug).Append("-kaart-titel\">Kaart: ").Append(E(indicator.Title))
            .Append(", verandering per buurt</title>\n");
        foreach (var (area, path) in shapes.Paths)
        {
            var row = byArea.GetValueOrDefault(area);
            var (fill, label) = Class(indicator.Desirability, row);
            counts[label] = counts.GetValueOrDefault(label) + 1;
            html.Append("<path d=\"").Append(path).Append("\" fill=\"").Append(fill).Append("\" stroke=\"#333333\" stroke-width=\"0.6\"><title>")
                .Append(E(names.GetValueOrDefault(area, area))).Append(": ").Append(Signed(row?.Delta)).Append(' ').Append(E(indicator.Unit)).Append("</title></path>\n");
        }

        html.Append("</svg>\n<figcaption id=\"").Append(slug).Append("-kaart-bijschrift\">Buurten gekleurd naar de verandering van ").Append(E(indicator.Title))
            .Append(" (licht: meer dan ").Append(Percent(ScenarioResultsImpact.Threshold)).Append(", donker: meer dan ").Append(Percent(StrongChange))
            .Append(" van de basiswaarde). Aantal buurten per klasse: ")
            .Append(string.Join("; ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"))).Append(". De tabel hieronder geeft elke buurt.</figcaption>\n<ul class=\"legenda\">\n");
        foreach (var (fill, label) in Legend(indicator.Desirability))
        {
            html.Append("<li><span style=\"background:").Append(fill).Append("\"></span>").Append(label).Append("</li>\n");
        }

        html.Append("</ul>\n</figure>\n");
    }

    /// <summary>A horizontal bar chart of signed values around a zero line; the numbers are also in the table <paramref name="tableId"/>.</summary>
    private static void Chart(StringBuilder html, string id, string tableId, string caption, IReadOnlyList<(string Label, double? Value, string Fill)> bars, Func<double?, string> format)
    {
        const double LabelWidth = 260, BarHeight = 22, Gap = 6, ValueWidth = 90;
        var height = Math.Max(1, bars.Count) * (BarHeight + Gap) + Gap;
        var max = bars.Select(b => Math.Abs(b.Value ?? 0)).DefaultIfEmpty(0).Max();
        var half = (Width - LabelWidth - 2 * ValueWidth) / 2;
        var zero = LabelWidth + ValueWidth + half;
        html.Append("<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"").Append(id).Append("-titel\" aria-describedby=\"").Append(tableId)
            .Append("\" viewBox=\"0 0 ").Append(Svg(Width)).Append(' ').Append(Svg(height)).Append("\" width=\"").Append(Svg(Width)).Append("\" height=\"").Append(Svg(height))
            .Append("\" font-size=\"12\" font-family=\"system-ui,sans-serif\">\n<title id=\"").Append(id).Append("-titel\">Staafdiagram: ").Append(E(caption)).Append("</title>\n");
        for (var b = 0; b < bars.Count; b++)
        {
            var (label, value, fill) = bars[b];
            var y = Gap + b * (BarHeight + Gap);
            var length = max == 0 || value is null ? 0 : Math.Abs(value.Value) / max * half;
            var x = value < 0 ? zero - length : zero;
            html.Append("<text x=\"0\" y=\"").Append(Svg(y + 15)).Append("\" fill=\"#1a1a1a\">").Append(E(Shorten(label))).Append("</text>\n")
                .Append("<rect x=\"").Append(Svg(x)).Append("\" y=\"").Append(Svg(y)).Append("\" width=\"").Append(Svg(Math.Max(length, 0.5))).Append("\" height=\"").Append(Svg(BarHeight))
                .Append("\" fill=\"").Append(fill).Append("\" stroke=\"#333333\" stroke-width=\"0.6\"/>\n")
                .Append("<text x=\"").Append(Svg(value < 0 ? zero + 4 : zero - 4)).Append("\" y=\"").Append(Svg(y + 15)).Append("\" text-anchor=\"").Append(value < 0 ? "start" : "end")
                .Append("\" fill=\"#1a1a1a\">").Append(E(format(value))).Append("</text>\n");
        }

        html.Append("<line x1=\"").Append(Svg(zero)).Append("\" y1=\"0\" x2=\"").Append(Svg(zero)).Append("\" y2=\"").Append(Svg(height)).Append("\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n")
            .Append("</svg>\n<figcaption>").Append(E(caption)).Append(". Dezelfde getallen staan in de tabel hieronder.</figcaption>\n</figure>\n");
    }

    private static void Accountability(StringBuilder html, ScenarioRun run)
    {
        html.Append("<section aria-labelledby=\"verantwoording\">\n<h2 id=\"verantwoording\">Verantwoording</h2>\n<p>Basissituatie en scenario zijn met dezelfde modellen en seed doorgerekend; ")
            .Append("dezelfde scenarioversie en seed geven altijd dezelfde uitkomst. Inhoudshash van het scenario: <code>").Append(run.Scenario.ContentHash)
            .Append("</code>; resultaathash basis <code>").Append(run.Baseline.ResultHash).Append("</code>, scenario <code>").Append(run.Outcome.ResultHash).Append("</code>.</p>\n")
            .Append("<table>\n<caption>Gebruikte modellen en hun versies</caption>\n<thead><tr><th scope=\"col\">Model</th><th scope=\"col\">Versie</th></tr></thead>\n<tbody>\n");
        foreach (var (model, version) in run.Outcome.ModelVersions.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            html.Append("<tr><th scope=\"row\">").Append(E(model)).Append("</th><td>").Append(E(version)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p>Elk model staat met methode, bronnen en bekende fout in het algoritmeregister (<code>/api/v1/algoritmes</code>) en in <code>docs/models/</code>.</p>\n</section>\n");
    }

    /// <summary>SVG path data of every buurt, fitted to <see cref="Width"/> with north up.</summary>
    private sealed record MapShapes(IReadOnlyList<(string Area, string Path)> Paths, double Height);

    private static MapShapes Shapes(IReadOnlyList<Feature> buurten)
    {
        if (buurten.Count == 0)
        {
            return new MapShapes([], 0);
        }

        var extent = new Envelope();
        foreach (var b in buurten)
        {
            extent.ExpandToInclude(b.Geometry.EnvelopeInternal);
        }

        var scale = Width / Math.Max(extent.Width, 1);
        var height = Math.Max(extent.Height * scale, 1);
        var paths = new List<(string, string)>(buurten.Count);
        foreach (var b in buurten)
        {
            var simplified = TopologyPreservingSimplifier.Simplify(b.Geometry, MapToleranceMetres);
            var d = new StringBuilder();
            foreach (var polygon in Polygons(simplified))
            {
                foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
                {
                    var coordinates = ring.Coordinates;
                    for (var c = 0; c < coordinates.Length - 1; c++)
                    {
                        d.Append(c == 0 ? 'M' : 'L').Append(Svg((coordinates[c].X - extent.MinX) * scale)).Append(' ').Append(Svg((extent.MaxY - coordinates[c].Y) * scale));
                    }

                    d.Append('Z');
                }
            }

            paths.Add((b.Id, d.ToString()));
        }

        return new MapShapes(paths, height);
    }

    private static IEnumerable<Polygon> Polygons(Geometry geometry) => geometry switch
    {
        Polygon p => [p],
        MultiPolygon m => m.Geometries.OfType<Polygon>(),
        _ => [],
    };

    /// <summary>The fill and legend label of an area's change.</summary>
    private static (string Fill, string Label) Class(Desirability desirability, ResultRow? row)
    {
        if (row?.Delta is not { } delta)
        {
            return (NoValue, "geen waarde");
        }

        if (!row.Moves(ScenarioResultsImpact.Threshold))
        {
            return (Same, "gelijk");
        }

        var strong = row.RelativeDelta is not { } relative || Math.Abs(relative) > StrongChange;
        var judgement = ScenarioResultsImpact.Judge(desirability, delta > 0 ? "hoger" : "lager");
        return (judgement, delta > 0) switch
        {
            ("beter", _) => strong ? (MuchBetter, "sterk beter") : (Better, "beter"),
            ("slechter", _) => strong ? (MuchWorse, "sterk slechter") : (Worse, "slechter"),
            (_, true) => strong ? (MuchHigher, "sterk hoger") : (Higher, "hoger"),
            _ => strong ? (MuchLower, "sterk lager") : (Lower, "lager"),
        };
    }

    private static string Fill(Desirability desirability, ResultRow? row) => Class(desirability, row).Fill;

    private static IEnumerable<(string Fill, string Label)> Legend(Desirability desirability) => desirability == Models.Results.Desirability.Neutral
        ? [(MuchHigher, "sterk hoger"), (Higher, "hoger"), (Same, "gelijk"), (Lower, "lager"), (MuchLower, "sterk lager"), (NoValue, "geen waarde")]
        : [(MuchBetter, "sterk beter"), (Better, "beter"), (Same, "gelijk"), (Worse, "slechter"), (MuchWorse, "sterk slechter"), (NoValue, "geen waarde")];

    private static string Desirability(Desirability desirability) => desirability switch
    {
        Models.Results.Desirability.HigherIsBetter => "Hoger is beter.",
        Models.Results.Desirability.LowerIsBetter => "Lager is beter.",
        _ => "Een verandering wordt gemeld, niet beoordeeld.",
    };

    private static string DomainTitle(ImpactDomain domain) => domain switch
    {
        ImpactDomain.Sociaal => "sociaal",
        ImpactDomain.Fysiek => "fysiek",
        ImpactDomain.Mobiliteit => "mobiliteit",
        ImpactDomain.Milieu => "milieu",
        _ => "beheer",
    };

    private static string Slug(string id) => "indicator-" + new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);

    private static string Shorten(string label) => label.Length <= 36 ? label : string.Concat(label.AsSpan(0, 35), "…");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Svg(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("d-M-yyyy", CultureInfo.InvariantCulture);

    /// <summary>A number in Dutch notation with precision fitting its size: three significant digits, no fewer than whole units above 100.</summary>
    private static string Number(double value) => Math.Abs(value) switch
    {
        >= 100 => value.ToString("N0", s_dutch),
        >= 10 => value.ToString("N1", s_dutch),
        >= 0.01 or 0 => value.ToString("N2", s_dutch),
        _ => value.ToString("0.###E+0", s_dutch),
    };

    private static string Value(double? value, string unit) => value is { } v ? unit.Length == 0 ? Number(v) : $"{Number(v)} {E(unit)}" : "geen waarde";

    private static string Signed(double? value) => value is { } v ? (v > 0 ? "+" : v < 0 ? "−" : "±") + Number(Math.Abs(v)) : "geen waarde";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.#", s_dutch) + " %";

    private static string SignedPercent(double? fraction) => fraction is { } f ? (f > 0 ? "+" : f < 0 ? "−" : "±") + Percent(Math.Abs(f)) : "n.v.t.";
}
