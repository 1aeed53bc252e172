namespace Tweeling.Models.Scenario;

/// <summary>
/// The search of a list walked in step with another, by a cursor: the place at the cursor or a few places after it that
/// holds what is sought, and the cursor moved past it. The reports walk their records in the order of the dwelling list
/// (receptors and dwellings are made building by building in its order), so most records are found at the cursor.
/// </summary>
/// <remarks>
/// A record list leaves a building out now and then (the façade receptors of a building without a road within 200 m,
/// the noise levels of a receptor without traffic in reach): looking a few places ahead keeps the cursor in step after
/// such a gap, where it would otherwise stay behind and send every later record to the slower search by id. A gap
/// longer than <see cref="Places"/> costs that many comparisons, of references or of ids of one length that mostly
/// differ in their last digits.
/// </remarks>
internal static class CursorSearch
{
    /// <summary>How many places from the cursor are tried.</summary>
    public const int Places = 8;

    /// <summary>What a search looks for: whether a place of the list holds it.</summary>
    /// <remarks>
    /// Taken as a struct type argument, so each search is compiled for its own test and the test inlined: the report of
    /// an edit searches some 40,000 records (a delegate would cost a call per place tried).
    /// </remarks>
    public interface IPlaceTest
    {
        bool Holds(int place);
    }

    /// <summary>
    /// The first place from <paramref name="cursor"/> (0 when it is before the list), among the next <see cref="Places"/>
    /// below <paramref name="count"/>, that <paramref name="test"/> holds for, with <paramref name="cursor"/> moved past
    /// it; −1, the cursor left as it was, when none is.
    /// </summary>
    public static int Find<TTest>(int count, ref int cursor, TTest test)
        where TTest : struct, IPlaceTest
    {
        var from = Math.Max(cursor, 0);
        var end = Math.Min(count, from + Places);
        for (var at = from; at < end; at++)
        {
            if (test.Holds(at))
            {
                cursor = at + 1;
                return at;
            }
        }

        return -1;
    }
}
