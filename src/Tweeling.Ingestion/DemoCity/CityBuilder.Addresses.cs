using System.Globalization;
using NetTopologySuite.Geometries;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Addresses, BAG-like: every building with a use other than <c>overig</c> (sheds, garages, barns have no address in the
/// BAG either) gets the street it faces (<c>openbareruimtenaam</c>), a house number, sometimes a house letter, and a
/// synthetic postcode. Numbers run along each street, odd on the south/west side and even on the north/east side, as
/// Dutch streets are numbered; postcodes follow PostNL's shape (four digits, two letters, one per stretch of a street side).
/// </summary>
internal sealed partial class CityBuilder
{
    /// <summary>The first postcode number: Dordrecht's range starts at 3311 (the demo's postcodes are synthetic).</summary>
    private const int FirstPostcodeNumber = 3311;

    /// <summary>Addresses per postcode at most: a six-position postcode covers one side of a stretch of street, about 15–25 addresses.</summary>
    private const int AddressesPerPostcode = 20;

    /// <summary>In the old centre a building narrower than this (metres of frontage) next to a numbered one is a split plot: it takes a house letter.</summary>
    private const double SplitPlotFrontage = 5.0;

    /// <summary>Letter pairs of a postcode; PostNL issues no SA, SD and SS (nl.wikipedia.org, "Postcodes in Nederland").</summary>
    private static readonly string[] s_postcodeLetters =
        [.. from first in Letters() from second in Letters() let pair = $"{first}{second}" where pair is not ("SA" or "SD" or "SS") select pair];

    private readonly List<AddressablePand> _addressable = [];
    private string?[] _hName = [];
    private string?[] _vName = [];

    /// <summary>A building that gets an address: its index in the panden, its cell, footprint and wijk.</summary>
    private sealed record AddressablePand(int PandIndex, int I, int J, Envelope Footprint, WijkArea Wijk);

    /// <summary>A building on the street it faces: which grid line, which side, where along it and how wide its front is.</summary>
    private sealed record Frontage(AddressablePand Pand, string Street, bool Horizontal, int Line, bool NorthOrEast, double Along, double Width);

    private sealed record Address(AddressablePand Pand, string Street, bool NorthOrEast, int Number, string? Letter);

    private void AddAddresses()
    {
        var addresses = new List<Address>();
        foreach (var street in _addressable.Select(Front).OfType<Frontage>().GroupBy(f => f.Street).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            addresses.AddRange(Number(street));
        }

        var next = FirstPostcodeNumber;
        foreach (var wijk in _layout.Wijken)
        {
            var letters = 0;
            var number = next;
            foreach (var side in addresses.Where(a => a.Pand.Wijk == wijk).GroupBy(a => (a.Street, a.NorthOrEast)))
            {
                foreach (var stretch in side.Chunk(AddressesPerPostcode))
                {
                    if (letters == s_postcodeLetters.Length)
                    {
                        letters = 0;
                        number++;
                    }

                    var postcode = number.ToString(CultureInfo.InvariantCulture) + s_postcodeLetters[letters++];
                    foreach (var address in stretch)
                    {
                        var pand = _panden[address.Pand.PandIndex];
                        _panden[address.Pand.PandIndex] = pand with
                        {
                            Properties = new Dictionary<string, object?>(pand.Properties)
                            {
                                ["openbareruimtenaam"] = address.Street,
                                ["huisnummer"] = (long)address.Number,
                                ["huisletter"] = address.Letter,
                                ["postcode"] = postcode,
                            },
                        };
                    }
                }
            }

            next = letters == 0 ? number : number + 1;
        }
    }

    /// <summary>Numbers one street's buildings: along its grid lines in order, odd numbers on the south/west side, even on the north/east.</summary>
    private static IEnumerable<Address> Number(IEnumerable<Frontage> street)
    {
        var nextNumber = new Dictionary<bool, int> { [false] = 1, [true] = 2 };
        var previous = new Dictionary<bool, (Frontage Front, Address Address)>();
        foreach (var front in street.OrderBy(f => f.Horizontal).ThenBy(f => f.Line).ThenBy(f => f.Along))
        {
            var side = front.NorthOrEast;
            Address address;
            if (front.Pand.Wijk.Zone == Zone.Centrum && front.Width < SplitPlotFrontage &&
                previous.TryGetValue(side, out var before) && before.Front.Line == front.Line && before.Front.Horizontal == front.Horizontal)
            {
                var letter = before.Address.Letter is { } l ? (char)(l[0] + 1) : 'a';
                address = new Address(front.Pand, front.Street, side, before.Address.Number, letter.ToString());
            }
            else
            {
                address = new Address(front.Pand, front.Street, side, nextNumber[side], null);
                nextNumber[side] += 2;
            }

            previous[side] = (front, address);
            yield return address;
        }
    }

    /// <summary>
    /// The street a building faces: the nearest side of its block that carries a street with houses on it (not a
    /// motorway, ring road or cycle path), or <c>null</c> when its block has none.
    /// </summary>
    private Frontage? Front(AddressablePand pand)
    {
        var (i, j, box) = (pand.I, pand.J, pand.Footprint);
        int nx = _layout.Nx;
        (double Distance, bool Horizontal, int Index, int Line, bool NorthOrEast)[] sides =
        [
            (box.MinY - _layout.LineY(j), true, (j * nx) + i, j, true),
            (_layout.LineX(i + 1) - box.MaxX, false, (j * (nx + 1)) + i + 1, i + 1, false),
            (_layout.LineY(j + 1) - box.MaxY, true, ((j + 1) * nx) + i, j + 1, false),
            (box.MinX - _layout.LineX(i), false, (j * (nx + 1)) + i, i, true),
        ];
        foreach (var side in sides.OrderBy(s => s.Distance))
        {
            var roadClass = (side.Horizontal ? _hRoad : _vRoad)[side.Index];
            if (roadClass is RoadClass.Erftoegangsweg or RoadClass.Gebiedsontsluitingsweg &&
                (side.Horizontal ? _hName : _vName)[side.Index] is { } street)
            {
                return side.Horizontal
                    ? new Frontage(pand, street, true, side.Line, side.NorthOrEast, box.Centre.X, box.Width)
                    : new Frontage(pand, street, false, side.Line, side.NorthOrEast, box.Centre.Y, box.Height);
            }
        }

        return null;
    }

    private static IEnumerable<char> Letters()
    {
        for (var c = 'A'; c <= 'Z'; c++)
        {
            yield return c;
        }
    }
}
