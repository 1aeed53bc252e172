namespace Tweeling.Domain.Algorithms;

/// <summary>
/// What the register entries of the platform's own impact models share: the publisher's organisation, contact and
/// entry link, the status "in development", the category "other algorithms" and "developed in-house". Each model's
/// <see cref="IRegisteredAlgorithm.Describe"/> starts from <see cref="Create"/> and adds its own text with <c>with</c>.
/// </summary>
public static class InternalModelEntry
{
    /// <summary>
    /// The <c>impacttoetsen</c> text of a model that processes no personal data and takes or prepares no decisions
    /// about people: why neither a DPIA nor an IAMA was done.
    /// </summary>
    public const string NoImpactAssessmentNeeded = "<p>Er is geen DPIA gedaan, omdat het model geen persoonsgegevens verwerkt. "
        + "Er is geen IAMA gedaan, omdat het model geen besluiten over mensen neemt of voorbereidt.</p>";

    /// <summary>The entry of the model <paramref name="sourceId"/> with its name and short description and the shared fields.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="publisher"/> is null.</exception>
    public static RegisterEntry Create(RegisterPublisher publisher, string sourceId, string name, string descriptionShort)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return new RegisterEntry
        {
            Name = name,
            DescriptionShort = descriptionShort,
            Organization = publisher.Organization,
            Status = RegisterValues.StatusInDevelopment,
            ContactEmail = publisher.Contact,
            PublicationCategory = RegisterValues.OtherAlgorithms,
            Url = publisher.EntryUrl(sourceId),
            Provider = RegisterValues.InternallyDeveloped,
            SourceId = sourceId,
        };
    }
}
