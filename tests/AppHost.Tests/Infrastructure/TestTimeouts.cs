namespace AppHost.Tests.Infrastructure;

internal static class TestTimeouts
{
    /// <summary>Whole app model from cold start to healthy (first runs may restore Garnet).</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    public static readonly TimeSpan Short = TimeSpan.FromSeconds(15);
}
