namespace AppHost.Hosting;

/// <summary>Named publishers (<c>manifest</c>, <c>kubernetes</c>) that turn the app model into deployment files.</summary>
public sealed class PublisherRegistry
{
    private readonly Dictionary<string, Func<DistributedApplication, string, CancellationToken, Task>> _publishers = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _publishers.Keys;

    public void Add(string name, Func<DistributedApplication, string, CancellationToken, Task> publish) => _publishers[name] = publish;

    public async Task<int> PublishAsync(string name, DistributedApplication app, CancellationToken cancellationToken = default)
    {
        if (!_publishers.TryGetValue(name, out var publish))
        {
            var known = _publishers.Count == 0 ? "none" : string.Join(", ", _publishers.Keys.Order(StringComparer.Ordinal));
            await Console.Error.WriteLineAsync($"Unknown publisher '{name}'. Available publishers: {known}.");
            return 2;
        }
        if (app.Model.Configuration["Publishing:OutputPath"] is not { Length: > 0 } outputPath)
        {
            await Console.Error.WriteLineAsync("--output-path is required with --publisher.");
            return 2;
        }
        await publish(app, Path.GetFullPath(outputPath), cancellationToken);
        Console.WriteLine($"Published '{name}' to {Path.GetFullPath(outputPath)}");
        return 0;
    }
}
