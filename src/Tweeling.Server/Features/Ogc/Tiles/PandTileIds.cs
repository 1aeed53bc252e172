namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// The integer MVT feature ids of the <c>panden</c> tiles (docs/tiles.md, "Integer ids of panden"): the web map keys its
/// feature state (recolouring, selection) by them, and below z14 a building whose string id follows from its integer
/// carries no string id at all (it was a quarter of the overview tile's bytes: 16 characters per building).
/// </summary>
/// <remarks>
/// A BAG pand identification is 16 digits: the municipality's four-digit code, the object type <c>10</c> (pand) and a
/// ten-digit serial (Catalogus BAG 2018, "Identificatie"). As one number it does not fit a JavaScript number exactly
/// (the demo city's 9999100000000001 is above 2<sup>53</sup>), so the integer leaves out the constant object type:
/// municipality × 10<sup>10</sup> + serial, below 10<sup>14</sup>. Any other id gets an integer from
/// <see cref="UnmappedFrom"/> on, numbered per snapshot, and keeps its string id in every tile.
/// </remarks>
internal static class PandTileIds
{
    /// <summary>The first integer id that does not stand for a BAG id: such features carry their string <c>id</c> too.</summary>
    public const ulong UnmappedFrom = 100_000_000_000_000;

    /// <summary>The serial's share of the integer: ten decimal digits.</summary>
    private const ulong SerialRange = 10_000_000_000;

    /// <summary>The integer of a BAG pand identification (<c>GGGG10NNNNNNNNNN</c>), or <c>null</c> for any other id.</summary>
    public static ulong? FromBagId(string id)
    {
        if (id.Length != 16 || id[4] != '1' || id[5] != '0')
        {
            return null;
        }

        ulong municipality = 0, serial = 0;
        for (var i = 0; i < 16; i++)
        {
            var digit = id[i] - '0';
            if (digit is < 0 or > 9)
            {
                return null;
            }

            if (i < 4)
            {
                municipality = (municipality * 10) + (ulong)digit;
            }
            else if (i >= 6)
            {
                serial = (serial * 10) + (ulong)digit;
            }
        }

        return (municipality * SerialRange) + serial;
    }
}
