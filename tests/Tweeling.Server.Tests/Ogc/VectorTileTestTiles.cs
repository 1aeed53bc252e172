using System.Diagnostics;
using System.Text.Json;

namespace Tweeling.Server.Tests.Ogc;

/// <summary>
/// Tile addresses worked out in the test with the usual slippy-map formulas (OSM wiki), independently of the
/// server's own tile matrix set code.
/// </summary>
internal static class VectorTileTestTiles
{
    /// <summary>The column and row of the WebMercatorQuad tile at <paramref name="zoom"/> holding CRS84 <paramref name="longitude"/>, <paramref name="latitude"/>.</summary>
    public static (long Column, long Row) TileOf(double longitude, double latitude, int zoom)
    {
        var n = 1L << zoom;
        var phi = latitude * Math.PI / 180;
        var column = (long)Math.Floor((longitude + 180) / 360 * n);
        var row = (long)Math.Floor((1 - (Math.Asinh(Math.Tan(phi)) / Math.PI)) / 2 * n);
        return (column, row);
    }

    /// <summary>The CRS84 bounds (west, south, east, north) of a tile.</summary>
    public static (double West, double South, double East, double North) BoundsOf(int zoom, long column, long row)
    {
        var n = (double)(1L << zoom);
        static double Latitude(double y, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - (2 * y / n)))) * 180 / Math.PI;
        return (column / n * 360 - 180, Latitude(row + 1, n), (column + 1) / n * 360 - 180, Latitude(row, n));
    }

    /// <summary>Runs a command-line client (GDAL's <c>ogr2ogr</c>) to its end; its exit code, output and error output.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start; is gdal-bin installed?");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Every position of a GeoJSON geometry, as (longitude, latitude).</summary>
    public static List<(double X, double Y)> Positions(JsonElement geometry)
    {
        var positions = new List<(double X, double Y)>();
        Collect(geometry.GetProperty("coordinates"), positions);
        return positions;
    }

    private static void Collect(JsonElement coordinates, List<(double X, double Y)> positions)
    {
        if (coordinates[0].ValueKind == JsonValueKind.Number)
        {
            positions.Add((coordinates[0].GetDouble(), coordinates[1].GetDouble()));
            return;
        }

        foreach (var child in coordinates.EnumerateArray())
        {
            Collect(child, positions);
        }
    }
}
