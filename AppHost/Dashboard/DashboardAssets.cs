using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AppHost.Dashboard;

/// <summary>The dashboard's HTML, CSS and JavaScript, embedded in the AppHost assembly (no build step, no CDN).</summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = Load();

    public static string LoginPage { get; } = System.Text.Encoding.UTF8.GetString(Files["login.html"].Content);

    public static void MapDashboardAssets(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Asset("index.html")).WithName("DashboardPage");
        foreach (var name in Files.Keys.Where(n => n is not ("index.html" or "login.html")))
        {
            routes.MapGet("/" + name, () => Asset(name)).WithName("DashboardAsset:" + name);
        }
    }

    private static FileContentHttpResult Asset(string name)
    {
        var (content, contentType) = Files[name];
        return TypedResults.Bytes(content, contentType);
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[Prefix.Length..];
            files[name] = (buffer.ToArray(), ContentTypeOf(name));
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
