namespace AppHost.Hosting.Model;

/// <summary>A named node of the app model. Annotations say how it runs; the orchestrator reads them.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = ValidateName(name);

    /// <summary>Kind shown to users ("Project", "Container", "Executable", "Parameter").</summary>
    public abstract string Kind { get; }

    public List<Resource> WaitsFor { get; } = [];

    public List<Resource> References { get; } = [];

    /// <summary>Environment variables set on every process of this resource, resolved when it starts.</summary>
    public Dictionary<string, ReferenceExpression> Environment { get; } = new(StringComparer.Ordinal);

    private static string ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || name[0] == '-')
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use lower-case letters, digits and '-' (it becomes a DNS name).",
                nameof(name));
        }
        return name;
    }

    public override string ToString() => $"{Kind} {Name}";
}
