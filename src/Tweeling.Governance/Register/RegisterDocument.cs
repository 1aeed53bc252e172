using System.Text.Json.Nodes;
using Tweeling.Domain.Algorithms;

namespace Tweeling.Governance.Register;

/// <summary>
/// An entry in the JSON form of the publication standard: one object per algorithm whose keys are the
/// standard's field keys (<c>name</c>, <c>description_short</c>, …), as the national register's
/// submission API takes it. Fields without a value are left out; groupings are arrays of
/// <c>{ "title", "link" }</c>.
/// </summary>
public static class RegisterDocument
{
    /// <summary>The JSON object of <paramref name="entry"/>.</summary>
    public static JsonObject ToJson(RegisterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = new JsonObject();
        Add(json, "name", entry.Name);
        Add(json, "description_short", entry.DescriptionShort);
        Add(json, "organization", entry.Organization);
        if (entry.Category.Count > 0)
        {
            json["category"] = new JsonArray([.. entry.Category.Select(c => (JsonNode?)JsonValue.Create(c))]);
        }

        Add(json, "status", entry.Status);
        Add(json, "begin_date", entry.BeginDate);
        Add(json, "end_date", entry.EndDate);
        Add(json, "contact_email", entry.ContactEmail);
        Add(json, "website", entry.Website);
        Add(json, "publication_category", entry.PublicationCategory);
        Add(json, "url", entry.Url);
        Add(json, "goal", entry.Goal);
        Add(json, "proportionality", entry.Proportionality);
        Add(json, "human_intervention", entry.HumanIntervention);
        Add(json, "risks", entry.Risks);
        Add(json, "lawful_basis", entry.LawfulBasis);
        Add(json, "lawful_basis_grouping", entry.LawfulBasisGrouping);
        Add(json, "process_index_url", entry.ProcessIndexUrl);
        Add(json, "impacttoetsen_grouping", entry.ImpacttoetsenGrouping);
        Add(json, "impacttoetsen", entry.Impacttoetsen);
        Add(json, "source_data", entry.SourceData);
        Add(json, "source_data_grouping", entry.SourceDataGrouping);
        Add(json, "methods_and_models", entry.MethodsAndModels);
        Add(json, "provider", entry.Provider);
        Add(json, "publiccode", entry.Publiccode);
        Add(json, "lang", entry.Lang);
        Add(json, "standard_version", entry.StandardVersion);
        Add(json, "source_id", entry.SourceId);
        Add(json, "tags", entry.Tags);
        return json;
    }

    private static void Add(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }

    private static void Add(JsonObject json, string key, IReadOnlyList<RegisterLink> links)
    {
        if (links.Count > 0)
        {
            json[key] = new JsonArray([.. links.Select(l => (JsonNode?)new JsonObject { ["title"] = l.Title, ["link"] = l.Link })]);
        }
    }
}
