using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace Tweeling.Server.Hosting;

/// <summary>
/// The reverse proxies the operator trusts (section <c>Tweeling:Proxies</c>): addresses such as <c>10.0.0.5</c> or
/// networks such as <c>10.0.0.0/24</c> and <c>fd00::/8</c>, e.g. <c>Tweeling__Proxies__Known__0=10.0.0.5</c>.
/// Only a request that arrives from one of them has its <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// believed, so the rate limits see the real client address behind the proxy; from anyone else those headers are
/// ignored, since any client can send them. Nothing is trusted by default, loopback included.
/// </summary>
internal sealed class ProxyOptions
{
    public const string Section = "Tweeling:Proxies";

    /// <summary>Trusted proxy addresses and networks (CIDR).</summary>
    public string[] Known { get; init; } = [];

    /// <summary>The entries of <see cref="Known"/> that are neither an address nor a network, for the start-up error.</summary>
    public IEnumerable<string> Invalid() => Known.Where(k => !TryParse(k, out _));

    /// <summary>An address as a network of one (/32 or /128), or a network in CIDR notation.</summary>
    public static bool TryParse(string entry, out IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }
}

/// <summary>Wires <see cref="ProxyOptions"/> into ASP.NET Core's forwarded-headers middleware.</summary>
internal static class Proxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(o => !o.Invalid().Any(), "Tweeling:Proxies:Known must hold IP addresses (10.0.0.5) or networks in CIDR notation (10.0.0.0/24).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // The framework trusts loopback by default; here only what the operator names is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var entry in proxies.Value.Known)
            {
                if (ProxyOptions.TryParse(entry, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }

            // A chain of trusted proxies (a load balancer before nginx) is followed back to the first address that is
            // not trusted: that one is the client. Every step needs a trusted sender, so the limit is the trust itself.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>Believes forwarded headers from trusted proxies only; first in the pipeline, before anything reads the client address.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.Known.Length == 0 ? app : app.UseForwardedHeaders();
}
