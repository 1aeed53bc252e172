using NetTopologySuite.Geometries;
using Tweeling.Models.City;

namespace Tweeling.Models.Spatial;

/// <summary>
/// The sources of a model whose sources are the links with traffic, in the traffic list's order (geluid and
/// luchtkwaliteit): the traffic list, per record the index of its source (−1 for a link without traffic), and per source
/// its centre line. An edit compares the list with the earlier run's to find the sources that changed and the places
/// they reach (docs/scenarios.md "Incremental runs").
/// </summary>
/// <param name="Traffic">The traffic per link.</param>
/// <param name="SourceOf">Per traffic record the index of its source, −1 for a link without traffic.</param>
/// <param name="Line">The centre line of a source.</param>
internal readonly record struct TrafficSources(IReadOnlyList<LinkTraffic> Traffic, int[] SourceOf, Func<int, LineString> Line)
{
    /// <summary>
    /// A source's values (band energies, emissions) for <paramref name="traffic"/> on these sources' road links, when the
    /// same links carry traffic in the same order: <paramref name="values"/> itself when no record differs, else a copy
    /// with the values of the sources whose record differs made anew by <paramref name="make"/> (from the record and the
    /// source's index) and their centre lines added to <paramref name="changed"/>; <c>null</c> when the sources would be
    /// others (see <see cref="Changed"/>).
    /// </summary>
    /// <typeparam name="T">What the model keeps per source.</typeparam>
    /// <param name="traffic">The edit's traffic list.</param>
    /// <param name="values">The values per source of this list.</param>
    /// <param name="check">Throws on a record the full run would reject.</param>
    /// <param name="make">A source's value from its new record and its index.</param>
    /// <param name="changed">Receives the centre lines of the sources whose record differs.</param>
    public T[]? Updated<T>(IReadOnlyList<LinkTraffic> traffic, T[] values, Action<LinkTraffic> check, Func<LinkTraffic, int, T> make, List<LineString> changed)
    {
        if (Changed(traffic, check) is not { } records)
        {
            return null;
        }

        if (records.Count == 0)
        {
            return values;
        }

        var updated = (T[])values.Clone();
        foreach (var (record, source) in records)
        {
            updated[source] = make(traffic[record], source);
            changed.Add(Line(source));
        }

        return updated;
    }

    /// <summary>
    /// The records of <paramref name="traffic"/> on these sources' road links that differ from this list's record at the
    /// same index and carry traffic, each with the index of its source here, after <paramref name="check"/> (the full
    /// run's check of a record); <c>null</c> when the lists differ in length, a differing record names another link, or a
    /// link starts or stops carrying traffic (the sources would be others). Records compare by reference first: most are
    /// the earlier record itself.
    /// </summary>
    private List<(int Record, int Source)>? Changed(IReadOnlyList<LinkTraffic> traffic, Action<LinkTraffic> check)
    {
        if (traffic.Count != Traffic.Count)
        {
            return null;
        }

        var changed = new List<(int, int)>();
        for (var i = 0; i < traffic.Count; i++)
        {
            var (now, then) = (traffic[i], Traffic[i]);
            if (now.Equals(then))
            {
                continue;
            }

            if (now.LinkId != then.LinkId)
            {
                return null;
            }

            check(now);
            var source = SourceOf[i];
            if ((source >= 0) != (now.VehiclesPerDay > 0))
            {
                return null;
            }

            if (source >= 0)
            {
                changed.Add((i, source));
            }
        }

        return changed;
    }

    /// <summary>
    /// Adds to <paramref name="changed"/> the centre lines (as they were here and as they are in <paramref name="now"/>) of
    /// the links whose record differs or whose source is not <paramref name="sameSource"/>; <c>false</c> when the traffic
    /// lists differ in length or name other links or the same links in another order.
    /// </summary>
    /// <param name="now">The edit's sources.</param>
    /// <param name="sameSource">Whether source a of <paramref name="now"/> is source b here, for what the model takes from its link.</param>
    /// <param name="changed">Receives the centre lines.</param>
    public bool ChangedLines(TrafficSources now, Func<int, int, bool> sameSource, List<LineString> changed)
    {
        if (now.Traffic.Count != Traffic.Count)
        {
            return false;
        }

        for (var i = 0; i < Traffic.Count; i++)
        {
            var (record, was) = (now.Traffic[i], Traffic[i]);
            if (record.LinkId != was.LinkId)
            {
                return false;
            }

            // A link without traffic is no source, whatever else its record says.
            var (source, wasSource) = (now.SourceOf[i], SourceOf[i]);
            if ((source < 0 && wasSource < 0) || (source >= 0 && wasSource >= 0 && record.Equals(was) && sameSource(source, wasSource)))
            {
                continue;
            }

            if (wasSource >= 0)
            {
                changed.Add(Line(wasSource));
            }

            if (source >= 0)
            {
                changed.Add(now.Line(source));
            }
        }

        return true;
    }
}
