using System.Net;
using System.Net.Sockets;

namespace Tweeling.Server.Tests;

/// <summary>Ports for tests that start a server or broker of their own, so no test depends on a fixed port.</summary>
internal static class FreePorts
{
    /// <summary>A loopback TCP port the system had free a moment ago (asked by binding port 0 and letting it go).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
