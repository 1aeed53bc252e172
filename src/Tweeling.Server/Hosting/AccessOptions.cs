using Tweeling.Domain.Catalog;

namespace Tweeling.Server.Hosting;

/// <summary>Settings of the access policy that the catalog cannot hold (section <c>Tweeling:Access</c>).</summary>
internal sealed class AccessOptions
{
    public const string Section = "Tweeling:Access";

    /// <summary>
    /// The classification of sensor data whose Thing names no catalog dataset in its <c>dataset</c> property — a
    /// partner's sensor registered without one. Internal unless the operator states otherwise: privacy by default,
    /// yet visible to the municipality's own staff so that they can see and label it.
    /// </summary>
    public Classification UnlabelledSensors { get; init; } = Classification.Internal;
}
