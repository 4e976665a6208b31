using System.Runtime.CompilerServices;
using System.Text;

namespace AppHost.Hosting.Model;

/// <summary>Something whose value is known only when the app runs, with a placeholder for published manifests.</summary>
public interface IValueProvider
{
    string Resolve(ResolutionContext context);

    /// <summary>Aspire manifest placeholder, e.g. <c>{redis.bindings.tcp.host}</c>.</summary>
    string ManifestExpression { get; }
}

/// <summary>Gives value providers the ports the orchestrator allocated.</summary>
public sealed class ResolutionContext(Func<ProcessResource, int, int> portOf, int replica)
{
    /// <summary>The replica of the resource being configured (its own endpoint resolves to that replica).</summary>
    public int Replica { get; } = replica;

    public int PortOf(ProcessResource resource, int replica) => portOf(resource, replica);
}

/// <summary>
/// A string made of literals and value providers, written as an interpolated string:
/// <c>ReferenceExpression.Create($"{endpoint}/mcp")</c>. Resolved per process at start, or rendered as manifest placeholders.
/// </summary>
public sealed class ReferenceExpression : IValueProvider
{
    private readonly IReadOnlyList<object> _parts;

    private ReferenceExpression(IReadOnlyList<object> parts) => _parts = parts;

    public static ReferenceExpression Create(ref ExpressionInterpolatedStringHandler handler) => new(handler.Parts);

    public static ReferenceExpression Literal(string value) => new([value]);

    public static ReferenceExpression From(IValueProvider provider) => new([provider]);

    public IEnumerable<IValueProvider> Providers => _parts.OfType<IValueProvider>();

    public bool IsSecret => Providers.Any(p => p is ParameterResource { Secret: true } || p is ReferenceExpression { IsSecret: true });

    public string Resolve(ResolutionContext context)
    {
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part is IValueProvider provider ? provider.Resolve(context) : (string)part);
        }
        return text.ToString();
    }

    public string ManifestExpression => string.Concat(_parts.Select(p => p is IValueProvider v ? v.ManifestExpression : (string)p));

    [InterpolatedStringHandler]
    public ref struct ExpressionInterpolatedStringHandler
    {
        internal List<object> Parts { get; }

        public ExpressionInterpolatedStringHandler(int literalLength, int formattedCount) => Parts = new(formattedCount * 2 + 1);

        public readonly void AppendLiteral(string value) => Parts.Add(value);

        public readonly void AppendFormatted(IValueProvider value) => Parts.Add(value);

        public readonly void AppendFormatted(string? value) => Parts.Add(value ?? string.Empty);

        public readonly void AppendFormatted(int value) => Parts.Add(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public enum EndpointProperty
{
    Url,
    HostAndPort,
    Host,
    Port,
}

/// <summary>An endpoint of a process resource: replica 0 unless the expression is resolved for a replica of the same resource.</summary>
public sealed class EndpointReference(ProcessResource resource, string endpointName, EndpointProperty property = EndpointProperty.Url) : IValueProvider
{
    public ProcessResource Resource { get; } = resource;

    public string EndpointName { get; } = endpointName;

    public EndpointProperty Property { get; } = property;

    public string Resolve(ResolutionContext context)
    {
        var port = context.PortOf(Resource, 0);
        return Property switch
        {
            EndpointProperty.Url => $"{Resource.Scheme}://localhost:{port}",
            EndpointProperty.HostAndPort => $"localhost:{port}",
            EndpointProperty.Host => "localhost",
            EndpointProperty.Port => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"Unknown endpoint property {Property}."),
        };
    }

    public string ManifestExpression => Property switch
    {
        EndpointProperty.Url => $"{{{Resource.Name}.bindings.{EndpointName}.url}}",
        EndpointProperty.HostAndPort => $"{{{Resource.Name}.bindings.{EndpointName}.host}}:{{{Resource.Name}.bindings.{EndpointName}.port}}",
        EndpointProperty.Host => $"{{{Resource.Name}.bindings.{EndpointName}.host}}",
        EndpointProperty.Port => $"{{{Resource.Name}.bindings.{EndpointName}.port}}",
        _ => throw new InvalidOperationException($"Unknown endpoint property {Property}."),
    };
}
