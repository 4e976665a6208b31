namespace AppHost.Hosting.Testing;

/// <summary>
/// Lets the testing API run the AppHost's real <c>Program</c> and take its app model at <c>Build()</c>, the way
/// Aspire.Hosting.Testing does. Scoped to the async flow of one test, so parallel tests never see each other's.
/// </summary>
internal sealed class AppModelCapture(Action<DistributedApplicationBuilder> configure)
{
    private static readonly AsyncLocal<AppModelCapture?> CurrentCapture = new();

    public static AppModelCapture? Current
    {
        get => CurrentCapture.Value;
        set => CurrentCapture.Value = value;
    }

    public Action<DistributedApplicationBuilder> Configure { get; } = configure;

    public DistributedApplicationBuilder? Builder { get; private set; }

    public void Capture(DistributedApplicationBuilder builder)
    {
        Builder = builder;
        throw new AppModelCapturedException();
    }
}

/// <summary>Unwinds the AppHost's entry point once its model has been captured; never escapes the testing API.</summary>
internal sealed class AppModelCapturedException : Exception
{
    public AppModelCapturedException()
        : base("The app model was captured by the testing API.")
    {
    }
}
