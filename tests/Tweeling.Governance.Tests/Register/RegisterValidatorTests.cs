using System.Text.Json.Nodes;
using Tweeling.Domain.Algorithms;
using Tweeling.Governance.Register;

namespace Tweeling.Governance.Tests.Register;

/// <summary>The validator catches every kind of violation of publication standard v1.0.0, by field and rule, all at once.</summary>
public sealed class RegisterValidatorTests
{
    /// <summary>An entry that uses every field within its limits.</summary>
    private static readonly RegisterEntry s_complete = new()
    {
        Name = "Verkeerslichten regelen",
        DescriptionShort = "Dit algoritme regelt de verkeerslichten op de ringweg.",
        Organization = "Gemeente Voorbeeld",
        Category = ["Verkeer", "Ruimte en infrastructuur", "Natuur en milieu"],
        Status = RegisterValues.StatusOutOfUse,
        BeginDate = "2023-01",
        EndDate = "2025-12",
        ContactEmail = "algoritmes@gemeente.example",
        Website = "https://gemeente.example/vri",
        PublicationCategory = RegisterValues.ImpactfulAlgorithms,
        Url = "https://gemeente.example/algoritmes/vri",
        Goal = "<p>Doorstroming</p><ul><li>sneller</li><li>veiliger</li></ul><br/>",
        Proportionality = "<div>Afweging</div>",
        HumanIntervention = "<ol><li>Een medewerker kan ingrijpen.</li></ol>",
        Risks = "Storingen van sensoren.",
        LawfulBasis = "Wegenverkeerswet 1994.",
        LawfulBasisGrouping = [new RegisterLink("Wegenverkeerswet 1994", "https://wetten.overheid.nl/BWBR0006622")],
        ProcessIndexUrl = "https://gemeente.example/verwerkingsregister",
        ImpacttoetsenGrouping = [new RegisterLink(RegisterValues.DpiaTitle, "https://gemeente.example/dpia"), new RegisterLink(RegisterValues.IamaTitle, "https://gemeente.example/iama")],
        Impacttoetsen = "Beide gedaan.",
        SourceData = "Sensordata van verkeerslichten.",
        SourceDataGrouping = [new RegisterLink("Sensorregistratie", "https://gemeente.example/sensoren")],
        MethodsAndModels = "Een beslisboom; niet zelflerend.",
        Provider = RegisterValues.InternallyDeveloped,
        Publiccode = "https://code.example/vri",
        SourceId = "vri-ringweg",
        Tags = "verkeer, VRI",
    };

    [Fact]
    public void An_entry_that_uses_every_field_within_its_limits_conforms()
    {
        Assert.Empty(RegisterValidator.Validate(s_complete));
        var json = RegisterDocument.ToJson(s_complete);
        Assert.Equal(PublicationStandard.Fields.Select(f => f.Key).Order(StringComparer.Ordinal), json.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("description_short")]
    [InlineData("organization")]
    [InlineData("status")]
    [InlineData("contact_email")]
    [InlineData("publication_category")]
    [InlineData("lang")]
    public void A_missing_or_blank_required_field_is_named(string key)
    {
        var missing = RegisterDocument.ToJson(s_complete);
        missing.Remove(key);
        var blank = RegisterDocument.ToJson(s_complete);
        blank[key] = "  ";

        Assert.Equal((key, RegisterRule.Required), Single(RegisterValidator.Validate(missing)));
        Assert.Contains((key, RegisterRule.Required), RegisterValidator.Validate(blank).Select(v => (v.Field, v.Rule)));
    }

    [Fact]
    public void Optional_fields_may_be_left_out()
    {
        var minimal = new RegisterEntry
        {
            Name = "n",
            DescriptionShort = "d",
            Organization = "o",
            Status = RegisterValues.StatusInDevelopment,
            ContactEmail = "c@example.org",
            PublicationCategory = RegisterValues.OtherAlgorithms,
        };

        Assert.Empty(RegisterValidator.Validate(minimal));
    }

    [Theory]
    [InlineData("name", 100)]
    [InlineData("description_short", 350)]
    [InlineData("organization", 100)]
    [InlineData("contact_email", 500)]
    [InlineData("website", 500)]
    [InlineData("url", 500)]
    [InlineData("goal", 2500)]
    [InlineData("proportionality", 2500)]
    [InlineData("human_intervention", 2500)]
    [InlineData("risks", 2500)]
    [InlineData("lawful_basis", 2500)]
    [InlineData("process_index_url", 500)]
    [InlineData("impacttoetsen", 2500)]
    [InlineData("source_data", 2500)]
    [InlineData("methods_and_models", 5000)]
    [InlineData("provider", 200)]
    [InlineData("publiccode", 500)]
    [InlineData("source_id", 100)]
    [InlineData("tags", 2500)]
    public void A_value_at_the_limit_conforms_and_one_character_more_is_named(string key, int limit)
    {
        var atLimit = RegisterDocument.ToJson(s_complete);
        atLimit[key] = new string('a', limit);
        var over = RegisterDocument.ToJson(s_complete);
        over[key] = new string('a', limit + 1);

        Assert.Empty(RegisterValidator.Validate(atLimit));
        var violation = Assert.Single(RegisterValidator.Validate(over));
        Assert.Equal((key, RegisterRule.MaxLength), (violation.Field, violation.Rule));
        Assert.Contains($"at most {limit}", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lengths_count_characters_not_utf16_units()
    {
        // 100 emoji are 200 UTF-16 units but 100 characters, as the register (Python) counts them.
        var entry = s_complete with { Name = string.Concat(Enumerable.Repeat("🚦", 100)) };

        Assert.Empty(RegisterValidator.Validate(entry));
        Assert.Equal(("name", RegisterRule.MaxLength), Single(RegisterValidator.Validate(entry with { Name = entry.Name + "a" })));
    }

    [Theory]
    [InlineData("status", "Actief")]
    [InlineData("status", "in gebruik")]
    [InlineData("publication_category", "Overige algoritmes (C)")]
    [InlineData("publication_category", "Categorie B")]
    [InlineData("lang", "nl")]
    [InlineData("standard_version", "0.4.0")]
    public void A_value_outside_its_value_list_is_named(string key, string value)
    {
        var json = RegisterDocument.ToJson(s_complete);
        json[key] = value;

        var violation = Assert.Single(RegisterValidator.Validate(json));
        Assert.Equal((key, RegisterRule.PermittedValues), (violation.Field, violation.Rule));
        Assert.Contains(value, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_category_outside_the_16_themes_and_a_fourth_category_are_named()
    {
        Assert.Equal(("category[1]", RegisterRule.PermittedValues), Single(RegisterValidator.Validate(s_complete with { Category = ["Verkeer", "Sport"] })));
        Assert.Equal(("category", RegisterRule.MaxItems), Single(RegisterValidator.Validate(s_complete with { Category = ["Verkeer", "Werk", "Wonen", "Economie"] })));
        Assert.Equal(16, RegisterValues.Categories.Count);
    }

    [Theory]
    [InlineData("2023-13")]
    [InlineData("2023-1")]
    [InlineData("01-2023")]
    [InlineData("2023-01-01")]
    public void A_date_that_is_not_a_month_is_named(string value)
    {
        var violations = RegisterValidator.Validate(s_complete with { BeginDate = value });

        Assert.Contains(("begin_date", RegisterRule.Format), violations.Select(v => (v.Field, v.Rule)));
    }

    [Fact]
    public void An_end_date_while_in_use_is_named()
    {
        Assert.Equal(("end_date", RegisterRule.EmptyWhileInUse), Single(RegisterValidator.Validate(s_complete with { Status = RegisterValues.StatusInUse })));
        Assert.Empty(RegisterValidator.Validate(s_complete with { Status = RegisterValues.StatusInUse, EndDate = null }));
    }

    [Fact]
    public void Rich_text_may_hold_only_div_br_p_ul_ol_and_li()
    {
        var violation = Assert.Single(RegisterValidator.Validate(s_complete with { Risks = "<p>Zie <a href=\"x\">hier</a> en <script>x</script></p>" }));

        Assert.Equal(("risks", RegisterRule.AllowedHtmlTags), (violation.Field, violation.Rule));
        Assert.Contains("<a>", violation.Message, StringComparison.Ordinal);
        Assert.Contains("<script>", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grouping_items_are_checked_field_by_field()
    {
        var entry = s_complete with
        {
            LawfulBasisGrouping = [new RegisterLink(new string('t', 101), "https://wetten.overheid.nl/x"), new RegisterLink("Wet", "")],
            SourceDataGrouping = [new RegisterLink(new string('t', 500), new string('l', 501))],
        };

        Assert.Equal(
            [("lawful_basis_grouping[0].title", RegisterRule.MaxLength), ("lawful_basis_grouping[1].link", RegisterRule.Required), ("source_data_grouping[0].link", RegisterRule.MaxLength)],
            RegisterValidator.Validate(entry).Select(v => (v.Field, v.Rule)));
    }

    [Fact]
    public void Keys_outside_the_standard_and_wrong_types_are_named()
    {
        var json = RegisterDocument.ToJson(s_complete);
        json["type"] = "Regelgebaseerd";
        json["name"] = 12;
        json["category"] = "Verkeer";
        json["impacttoetsen_grouping"] = new JsonArray("DPIA");

        Assert.Equal(
            [("category", RegisterRule.Type), ("impacttoetsen_grouping[0]", RegisterRule.Type), ("name", RegisterRule.Type), ("type", RegisterRule.UnknownField)],
            RegisterValidator.Validate(json).Select(v => (v.Field, v.Rule)).Order());
    }

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var entry = s_complete with { Name = "", Status = "Actief", DescriptionShort = new string('x', 351), Category = ["Sport"] };

        Assert.Equal(
            [("category[0]", RegisterRule.PermittedValues), ("description_short", RegisterRule.MaxLength), ("name", RegisterRule.Required), ("status", RegisterRule.PermittedValues)],
            RegisterValidator.Validate(entry).Select(v => (v.Field, v.Rule)).Order());
    }

    private static (string Field, string Rule) Single(IReadOnlyList<RegisterViolation> violations)
    {
        var violation = Assert.Single(violations);
        return (violation.Field, violation.Rule);
    }
}
