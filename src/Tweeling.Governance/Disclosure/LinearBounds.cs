namespace Tweeling.Governance.Disclosure;

/// <summary>
/// The smallest and largest value a variable can take when variables are bounded (<c>lower ≤ x ≤ upper</c>, upper
/// possibly +∞) and tied by linear equations: two linear programmes solved with the two-phase simplex method and
/// Bland's rule, which cannot cycle. This is exactly what an attacker can infer about a hidden cell from every
/// published figure, so <see cref="DifferencingAudit"/> uses it to prove a suppression pattern safe.
/// </summary>
/// <remarks>
/// The programme is continuous (the LP relaxation): for integer counts an attacker's true interval can be shorter
/// by less than one unit at either end, which the audit's required widths absorb. Bounds and right-hand sides are
/// scaled to at most 1 so one tolerance (1e-9) serves counts and euro sums alike.
/// </remarks>
internal sealed class LinearBounds
{
    private const double Tolerance = 1e-9;

    private readonly double[] _lower;
    private readonly double _scale;
    private readonly int _variables;
    private readonly int _artificialStart;
    private readonly int _costLength;
    private readonly List<double[]> _rows;
    private readonly List<int> _basis;

    /// <summary>Sets up the programme and finds a feasible point (phase 1).</summary>
    /// <param name="lower">Lower bound per variable (finite).</param>
    /// <param name="upper">Upper bound per variable; <see cref="double.PositiveInfinity"/> for none.</param>
    /// <param name="equations">Each equation: variable indexes, their coefficients, and the right-hand side.</param>
    public LinearBounds(double[] lower, double[] upper, IReadOnlyList<(int[] Variables, double[] Coefficients, double Rhs)> equations)
    {
        _variables = lower.Length;
        _scale = Math.Max(1, lower.Concat(upper.Where(double.IsFinite)).Concat(equations.Select(e => e.Rhs)).Max(Math.Abs));
        _lower = [.. lower.Select(l => l / _scale)];
        var bounded = Enumerable.Range(0, _variables).Where(i => double.IsFinite(upper[i])).ToList();
        var rowCount = equations.Count + bounded.Count;
        _artificialStart = _variables + bounded.Count;
        var width = _artificialStart + rowCount + 1;
        _costLength = width - 1;
        _rows = [];
        _basis = [];

        // Shift every variable to y = x − lower ≥ 0; equations keep their form with an adjusted right-hand side.
        foreach (var (variables, coefficients, rhs) in equations)
        {
            var row = new double[width];
            var b = rhs / _scale;
            for (var k = 0; k < variables.Length; k++)
            {
                row[variables[k]] += coefficients[k];
                b -= coefficients[k] * _lower[variables[k]];
            }

            row[^1] = b;
            _rows.Add(row);
        }

        // Finite upper bounds become y + slack = upper − lower.
        for (var k = 0; k < bounded.Count; k++)
        {
            var i = bounded[k];
            var row = new double[width];
            row[i] = 1;
            row[_variables + k] = 1;
            row[^1] = (upper[i] / _scale) - _lower[i];
            _rows.Add(row);
        }

        for (var r = 0; r < _rows.Count; r++)
        {
            if (_rows[r][^1] < 0)
            {
                for (var j = 0; j < width; j++)
                {
                    _rows[r][j] = -_rows[r][j];
                }
            }

            _rows[r][_artificialStart + r] = 1;
            _basis.Add(_artificialStart + r);
        }

        var phaseOne = new double[width - 1];
        for (var j = _artificialStart; j < width - 1; j++)
        {
            phaseOne[j] = 1;
        }

        IsFeasible = Minimise(_rows, _basis, phaseOne, allowArtificial: true) is { } infeasibility && infeasibility <= 1e-7;
        if (IsFeasible)
        {
            DriveOutArtificials();
        }
    }

    /// <summary>Whether any point satisfies all bounds and equations.</summary>
    public bool IsFeasible { get; }

    /// <summary>The smallest and largest value of variable <paramref name="variable"/>; the maximum may be +∞.</summary>
    public (double Min, double Max) RangeOf(int variable)
    {
        if (!IsFeasible)
        {
            throw new InvalidOperationException("The programme has no feasible point.");
        }

        var objective = new double[_costLength];
        objective[variable] = 1;
        var min = Minimise(Copy(out var basis), basis, objective, allowArtificial: false);
        objective[variable] = -1;
        var negatedMax = Minimise(Copy(out basis), basis, objective, allowArtificial: false);
        return (((min ?? double.NegativeInfinity) + _lower[variable]) * _scale, negatedMax is { } m ? (-m + _lower[variable]) * _scale : double.PositiveInfinity);
    }

    private List<double[]> Copy(out List<int> basis)
    {
        basis = [.. _basis];
        return [.. _rows.Select(r => (double[])r.Clone())];
    }

    /// <summary>Minimises <paramref name="cost"/>·y from the current basis; the optimum, or <c>null</c> when unbounded below.</summary>
    private double? Minimise(List<double[]> rows, List<int> basis, double[] cost, bool allowArtificial)
    {
        var columns = allowArtificial ? cost.Length : _artificialStart;
        var reduced = new double[cost.Length + 1];
        for (var j = 0; j <= cost.Length; j++)
        {
            var value = j < cost.Length ? cost[j] : 0;
            for (var r = 0; r < rows.Count; r++)
            {
                value -= cost[basis[r]] * rows[r][j];
            }

            reduced[j] = value;
        }

        while (true)
        {
            var entering = -1;
            for (var j = 0; j < columns; j++)
            {
                if (reduced[j] < -Tolerance)
                {
                    entering = j;
                    break;
                }
            }

            if (entering < 0)
            {
                return -reduced[^1];
            }

            var leaving = -1;
            var best = double.PositiveInfinity;
            for (var r = 0; r < rows.Count; r++)
            {
                var a = rows[r][entering];
                if (a > Tolerance)
                {
                    var ratio = rows[r][^1] / a;
                    if (ratio < best - Tolerance || (Math.Abs(ratio - best) <= Tolerance && basis[r] < basis[leaving]))
                    {
                        best = ratio;
                        leaving = r;
                    }
                }
            }

            if (leaving < 0)
            {
                return null;
            }

            Pivot(rows, basis, reduced, leaving, entering);
        }
    }

    private static void Pivot(List<double[]> rows, List<int> basis, double[]? reduced, int row, int column)
    {
        var pivotRow = rows[row];
        var pivot = pivotRow[column];
        for (var j = 0; j < pivotRow.Length; j++)
        {
            pivotRow[j] /= pivot;
        }

        foreach (var other in rows)
        {
            Eliminate(other, pivotRow, column);
        }

        if (reduced is not null)
        {
            Eliminate(reduced, pivotRow, column);
        }

        basis[row] = column;
    }

    private static void Eliminate(double[] target, double[] pivotRow, int column)
    {
        var factor = target[column];
        if (target == pivotRow || factor == 0)
        {
            return;
        }

        for (var j = 0; j < target.Length; j++)
        {
            target[j] -= factor * pivotRow[j];
        }
    }

    /// <summary>After phase 1 an artificial can stay basic at zero; pivot it out, or drop its row when the row is redundant.</summary>
    private void DriveOutArtificials()
    {
        for (var r = _rows.Count - 1; r >= 0; r--)
        {
            if (_basis[r] < _artificialStart)
            {
                continue;
            }

            var column = Array.FindIndex(_rows[r], 0, _artificialStart, a => Math.Abs(a) > Tolerance);
            if (column >= 0)
            {
                Pivot(_rows, _basis, null, r, column);
            }
            else
            {
                _rows.RemoveAt(r);
                _basis.RemoveAt(r);
            }
        }
    }
}
