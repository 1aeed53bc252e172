using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tweeling.Domain.Algorithms;

namespace Tweeling.Governance.Register;

/// <summary>
/// Checks a register entry against the publication standard v1.0.0 (<see cref="PublicationStandard"/>) and
/// returns every violation, not just the first, each naming the field key and the rule it breaks.
/// </summary>
/// <remarks>
/// It checks the JSON form (<see cref="RegisterDocument"/>), so what is validated is exactly what is
/// exported. Lengths are counted in Unicode code points, as the register's own (Python) validation does.
/// </remarks>
public static partial class RegisterValidator
{
    /// <summary>Every violation of <paramref name="entry"/>; empty when it conforms.</summary>
    public static IReadOnlyList<RegisterViolation> Validate(RegisterEntry entry) => Validate(RegisterDocument.ToJson(entry));

    /// <summary>Every violation of <paramref name="document"/>, an entry in the standard's JSON form; empty when it conforms.</summary>
    public static IReadOnlyList<RegisterViolation> Validate(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var violations = new List<RegisterViolation>();
        foreach (var (key, _) in document)
        {
            if (PublicationStandard.Find(key) is null)
            {
                violations.Add(new(key, RegisterRule.UnknownField, $"'{key}' is not a field of publication standard {RegisterValues.StandardVersion}."));
            }
        }

        foreach (var field in PublicationStandard.Fields)
        {
            CheckField(field, field.Key, document[field.Key], violations);
        }

        if (document["status"] is JsonValue status && status.TryGetValue<string>(out var statusText) && statusText == RegisterValues.StatusInUse
            && document["end_date"] is JsonValue { } endDate && endDate.TryGetValue<string>(out var end) && !string.IsNullOrWhiteSpace(end))
        {
            violations.Add(new("end_date", RegisterRule.EmptyWhileInUse, $"'end_date' must stay empty while 'status' is '{RegisterValues.StatusInUse}'; got '{end}'."));
        }

        return violations;
    }

    private static void CheckField(FieldRule field, string path, JsonNode? value, List<RegisterViolation> violations)
    {
        if (value is null || (value is JsonValue blank && blank.TryGetValue<string>(out var blankText) && string.IsNullOrWhiteSpace(blankText)) || value is JsonArray { Count: 0 })
        {
            if (field.Required)
            {
                violations.Add(new(path, RegisterRule.Required, $"'{path}' ({field.Title}) is required."));
            }

            return;
        }

        switch (field.Type)
        {
            case FieldType.Text or FieldType.Choice or FieldType.Month:
                if (String(field, path, value, violations) is { } text)
                {
                    CheckString(field, path, text, violations);
                }

                break;
            case FieldType.List:
                if (Array(path, value, violations) is { } list)
                {
                    if (field.MaxItems is { } maxItems && list.Count > maxItems)
                    {
                        violations.Add(new(path, RegisterRule.MaxItems, $"'{path}' ({field.Title}) has {list.Count} items; at most {maxItems} are allowed."));
                    }

                    for (var i = 0; i < list.Count; i++)
                    {
                        var itemPath = $"{path}[{i}]";
                        if (String(field, itemPath, list[i], violations) is { } item)
                        {
                            CheckString(field, itemPath, item, violations);
                        }
                    }
                }

                break;
            case FieldType.Grouping:
                if (Array(path, value, violations) is { } items)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        CheckGroupingItem(field, $"{path}[{i}]", items[i], violations);
                    }
                }

                break;
        }
    }

    private static void CheckGroupingItem(FieldRule field, string path, JsonNode? item, List<RegisterViolation> violations)
    {
        if (item is not JsonObject itemObject)
        {
            violations.Add(new(path, RegisterRule.Type, $"'{path}' must be an object with {string.Join(" and ", field.Items!.Select(f => $"'{f.Key}'"))}."));
            return;
        }

        foreach (var (key, _) in itemObject)
        {
            if (!field.Items!.Any(f => f.Key == key))
            {
                violations.Add(new($"{path}.{key}", RegisterRule.UnknownField, $"'{key}' is not a field of a '{field.Key}' item."));
            }
        }

        foreach (var itemField in field.Items!)
        {
            CheckField(itemField, $"{path}.{itemField.Key}", itemObject[itemField.Key], violations);
        }
    }

    private static void CheckString(FieldRule field, string path, string value, List<RegisterViolation> violations)
    {
        var length = value.EnumerateRunes().Count();
        if (field.MaxLength is { } maxLength && length > maxLength)
        {
            violations.Add(new(path, RegisterRule.MaxLength, $"'{path}' ({field.Title}) has {length} characters; at most {maxLength} are allowed."));
        }

        if (field.PermittedValues is { } permitted && !permitted.Contains(value, StringComparer.Ordinal))
        {
            violations.Add(new(path, RegisterRule.PermittedValues, $"'{path}' ({field.Title}) is '{value}'; allowed: {string.Join(", ", permitted.Select(p => $"'{p}'"))}."));
        }

        if (field.Type == FieldType.Month && !IsMonth(value))
        {
            violations.Add(new(path, RegisterRule.Format, $"'{path}' ({field.Title}) must be a month as yyyy-mm, e.g. 2023-01; got '{value}'."));
        }

        if (field.RichText)
        {
            var tags = Tag().Matches(value).Select(m => m.Groups["name"].Value.ToLowerInvariant())
                .Where(t => !PublicationStandard.AllowedHtmlTags.Contains(t, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
            if (tags.Count > 0)
            {
                violations.Add(new(path, RegisterRule.AllowedHtmlTags,
                    $"'{path}' ({field.Title}) holds the HTML tag(s) {string.Join(", ", tags.Select(t => $"<{t}>"))}; only {string.Join(", ", PublicationStandard.AllowedHtmlTags.Select(t => $"<{t}>"))} are allowed."));
            }
        }
    }

    private static bool IsMonth(string value) =>
        value.Length == 7 && value[4] == '-' && DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? String(FieldRule field, string path, JsonNode? value, List<RegisterViolation> violations)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        violations.Add(new(path, RegisterRule.Type, $"'{path}' ({field.Title}) must be a string."));
        return null;
    }

    private static JsonArray? Array(string path, JsonNode value, List<RegisterViolation> violations)
    {
        if (value is JsonArray array)
        {
            return array;
        }

        violations.Add(new(path, RegisterRule.Type, $"'{path}' must be an array."));
        return null;
    }

    /// <summary>An HTML start or end tag; its name in the group <c>name</c>.</summary>
    [GeneratedRegex(@"<\s*/?\s*(?<name>[A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex Tag();
}

/// <summary>One way a register entry breaks the publication standard.</summary>
/// <param name="Field">The field key with its path, e.g. <c>name</c> or <c>lawful_basis_grouping[0].link</c>.</param>
/// <param name="Rule">The rule broken, one of <see cref="RegisterRule"/>.</param>
/// <param name="Message">What is wrong, with the limit or the allowed values.</param>
public sealed record RegisterViolation(string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>The rules of the publication standard a value can break, by the config's own names where it has one.</summary>
public static class RegisterRule
{
    /// <summary>A required field is missing or blank (<c>required</c>).</summary>
    public const string Required = "required";

    /// <summary>A value is longer than the field allows (<c>max_length</c>).</summary>
    public const string MaxLength = "max_length";

    /// <summary>A value is not in the field's value list (<c>permitted_values</c>).</summary>
    public const string PermittedValues = "permitted_values";

    /// <summary>A list has more items than allowed (<c>max_items</c>).</summary>
    public const string MaxItems = "max_items";

    /// <summary>Rich text holds an HTML tag outside the allowed ones (<c>allowed_html_tags</c>).</summary>
    public const string AllowedHtmlTags = "allowed_html_tags";

    /// <summary>A date is not a month as <c>yyyy-mm</c>.</summary>
    public const string Format = "format";

    /// <summary>A value has the wrong JSON type.</summary>
    public const string Type = "type";

    /// <summary>A key that is not a field of the standard.</summary>
    public const string UnknownField = "unknown_field";

    /// <summary><c>end_date</c> is set while the algorithm is still in use.</summary>
    public const string EmptyWhileInUse = "empty_while_in_use";
}
