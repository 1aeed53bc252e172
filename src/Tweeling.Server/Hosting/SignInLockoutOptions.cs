using System.ComponentModel.DataAnnotations;
using Tweeling.Governance.Identity;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The per-user-name password lockout (<see cref="SignInLockout"/>), section <c>Tweeling:Identity:Lockout</c>, e.g.
/// <c>Tweeling__Identity__Lockout__MaxFailures=5</c> and <c>Tweeling__Identity__Lockout__Window=00:30:00</c>;
/// validated at start-up.
/// </summary>
internal sealed class SignInLockoutOptions
{
    public const string Section = "Tweeling:Identity:Lockout";

    /// <summary>Wrong passwords for one user name within <see cref="Window"/> after which it is locked out.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; init; } = SignInLockout.DefaultMaxFailures;

    /// <summary>The sliding window the failures are counted in, and so the longest a lockout lasts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; init; } = SignInLockout.DefaultWindow;
}
