using System.Reflection;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;
using Microsoft.Extensions.Configuration;

namespace AppHost.Hosting;

/// <summary>Collects the app model. <see cref="Build"/> turns it into a runnable <see cref="DistributedApplication"/>.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(string[] args, Action<DistributedApplicationBuilder>? configureForTesting)
    {
        Args = args;
        Configuration = new ConfigurationManager();
        Configuration.AddJsonFile(Path.Combine(AppHostDirectory, "appsettings.json"), optional: true);
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--publisher"] = "Publishing:Publisher",
            ["--output-path"] = "Publishing:OutputPath",
            ["--otlp-endpoint"] = "AppHost:OtlpEndpoint",
        });

        Options = new AppHostOptions
        {
            DataDirectory = Path.Combine(AppHostDirectory, ".data"),
            EnvironmentName = Configuration["DOTNET_ENVIRONMENT"] ?? Configuration["ASPNETCORE_ENVIRONMENT"] ?? "Development",
            OtlpEndpoint = Configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] is { Length: > 0 } http ? http : Configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"],
            OtlpProtocol = Configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] is { Length: > 0 } ? "http/protobuf" : "grpc",
        };
        Configuration.GetSection("AppHost").Bind(Options);
        configureForTesting?.Invoke(this);
    }

    public string[] Args { get; }

    public ConfigurationManager Configuration { get; }

    public AppHostOptions Options { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    public string EnvironmentName => Options.EnvironmentName;

    /// <summary>Lines printed once every resource is healthy (how to reach the app).</summary>
    public List<Func<DistributedApplication, string>> ReadyMessages { get; } = [];

    /// <summary>Components started with the app model and stopped with it (dashboard, metrics scraping).</summary>
    public List<IDistributedApplicationLifecycleHook> LifecycleHooks { get; } = [];

    /// <summary>Publishers selected with <c>--publisher name --output-path path</c>.</summary>
    public PublisherRegistry Publishers { get; } = new();

    /// <summary>The AppHost project folder (the repository layout is resolved from it).</summary>
    public static string AppHostDirectory { get; } =
        typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "AppHostProjectDirectory").Value!;

    public static string RepositoryRoot { get; } =
        typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists in the app model.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    public T GetResource<T>(string name) where T : Resource =>
        _resources.OfType<T>().SingleOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"The app model has no {typeof(T).Name} named '{name}'.");

    public DistributedApplication Build()
    {
        // Under the testing API the model is handed to the test instead of running here.
        if (AppModelCapture.Current is { } capture)
        {
            capture.Capture(this);
        }
        AppModelValidator.Validate(_resources);
        return new DistributedApplication(this);
    }
}
