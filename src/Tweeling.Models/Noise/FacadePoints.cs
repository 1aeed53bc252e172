using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using Tweeling.Models.City;

namespace Tweeling.Models.Noise;

/// <summary>Derives the noise model's receptors from building footprints: per building, the point of its façade nearest a road.</summary>
public static class FacadePoints
{
    // The first search box's margin, m: a street's width; the box doubles up to the search radius when it holds no road that near.
    private const double FirstSearchRadiusM = 25;

    /// <summary>
    /// One receptor per building that has a motor-traffic road within <paramref name="searchRadiusM"/>: the point of its
    /// footprint's boundary nearest the nearest such road (cycle paths do not count). Buildings without a road that
    /// close get no receptor, as the noise model would give them no level.
    /// </summary>
    /// <param name="buildings">Building id and footprint in RD New metres.</param>
    /// <param name="links">The road network.</param>
    /// <param name="searchRadiusM">How far to look for a road, m.</param>
    public static IReadOnlyList<NoiseReceptor> NearestToRoad(IEnumerable<(string Id, Geometry Footprint)> buildings, IReadOnlyList<RoadLink> links, double searchRadiusM = 200)
    {
        ArgumentNullException.ThrowIfNull(buildings);
        ArgumentNullException.ThrowIfNull(links);
        var index = new STRtree<LineString>();
        foreach (var link in links.Where(l => l.Class != RoadClass.Fietspad))
        {
            index.Insert(link.Geometry.EnvelopeInternal, link.Geometry);
        }

        index.Build();
        var receptors = new List<NoiseReceptor>();
        foreach (var (id, footprint) in buildings)
        {
            LineString? nearest = null;
            var nearestDistance = double.PositiveInfinity;
            // A growing search box: a road outside the box widened by r is more than r away, so a nearest road found
            // within r is the nearest of all; and the tree lists a smaller box's roads in the same order, so ties go
            // to the same road as one search of the full radius (most buildings stand within 25 m of a road).
            for (var radius = Math.Min(FirstSearchRadiusM, searchRadiusM); ; radius = Math.Min(radius * 2, searchRadiusM))
            {
                var search = footprint.EnvelopeInternal.Copy();
                search.ExpandBy(radius);
                foreach (var road in index.Query(search))
                {
                    var distance = footprint.Distance(road);
                    if (distance < nearestDistance)
                    {
                        (nearest, nearestDistance) = (road, distance);
                    }
                }

                if (nearestDistance <= radius || radius >= searchRadiusM)
                {
                    break;
                }

                (nearest, nearestDistance) = (null, double.PositiveInfinity);
            }

            if (nearest is not null && nearestDistance <= searchRadiusM)
            {
                // The nearest point of the boundary, not of the area: a road crossing a footprint still gets a façade point.
                var point = DistanceOp.NearestPoints(footprint.Boundary, nearest)[0];
                receptors.Add(new NoiseReceptor(id, footprint.Factory.CreatePoint(point)));
            }
        }

        return receptors;
    }
}
