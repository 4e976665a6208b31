using PuppeteerSharp;

namespace AppHost.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, driven by PuppeteerSharp (which cannot download a browser here).</summary>
internal static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>A browser on a temporary profile of its own; disposing it closes the browser and removes the profile.</summary>
    public static Task<IBrowser> LaunchAsync(TimeSpan timeout) => Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Timeout = (int)timeout.TotalMilliseconds,
        DefaultViewport = new ViewPortOptions { Width = 1440, Height = 1000 },
        // No network beyond the page under test (no updates, sync or QUIC probes), and no GPU or sandbox in a container.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}
