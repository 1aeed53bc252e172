using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tweeling.Server.Hosting;

/// <summary>
/// How the APIs write JSON: UTF-8 as is, so Dutch names ("Wielwijk-Oost", "µg/m3") and links with
/// <c>&amp;</c> read as written instead of as <c>\u00B5</c> and <c>\u0026</c>. The default encoder's extra
/// escaping guards JSON pasted into HTML pages; API responses are served as JSON, never inlined in HTML.
/// </summary>
internal static class JsonOutput
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder };
}
