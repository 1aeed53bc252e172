using Tweeling.Domain.Indicators;

namespace Tweeling.Governance.Disclosure;

/// <summary>
/// The CBS area hierarchy buurt ⊂ wijk ⊂ gemeente, read from the codes themselves: a buurt code is
/// <c>BU</c> + gemeente (4) + wijk (2) + buurt (2) digits, a wijk code <c>WK</c> + gemeente (4) + wijk (2), a gemeente
/// code <c>GM</c> + 4 digits (CBS Toelichting Wijk- en Buurtkaart). Reading it from the codes means the totals that
/// secondary suppression protects are exactly the ones anyone can form from public area codes.
/// </summary>
public static class AreaHierarchy
{
    /// <summary>The level of <paramref name="areaCode"/>, or <c>null</c> for a code that is not a CBS area code.</summary>
    public static AreaLevel? LevelOf(string areaCode)
    {
        ArgumentNullException.ThrowIfNull(areaCode);
        return areaCode switch
        {
            _ when Is(areaCode, "BU", 8) => AreaLevel.Buurt,
            _ when Is(areaCode, "WK", 6) => AreaLevel.Wijk,
            _ when Is(areaCode, "GM", 4) => AreaLevel.Gemeente,
            _ => null,
        };
    }

    /// <summary>The code of the area directly containing <paramref name="areaCode"/>, or <c>null</c> for a gemeente or an unknown code.</summary>
    public static string? ParentOf(string areaCode) => LevelOf(areaCode) switch
    {
        AreaLevel.Buurt => string.Concat("WK", areaCode.AsSpan(2, 6)),
        AreaLevel.Wijk => string.Concat("GM", areaCode.AsSpan(2, 4)),
        _ => null,
    };

    private static bool Is(string code, string prefix, int digits) =>
        code.Length == prefix.Length + digits
        && code.StartsWith(prefix, StringComparison.Ordinal)
        && code.AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;
}
