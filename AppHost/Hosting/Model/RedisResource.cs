namespace AppHost.Hosting.Model;

/// <summary>
/// Redis, published as the <c>redis</c> container in manifests. Locally it runs Debian's redis-server when on
/// PATH, otherwise Garnet from the repository's dotnet tool manifest.
/// </summary>
public sealed class RedisResource(string name, ParameterResource password) : ProcessResource(name)
{
    public const string Image = "docker.io/library/redis";
    public const string ImageTag = "7.4";
    public const int DefaultTargetPort = 6379;

    public override string Kind => "Container";

    public ParameterResource Password { get; } = password;

    /// <summary><c>auto</c>, <c>redis-server</c> or <c>garnet</c>.</summary>
    public string Server { get; set; } = "auto";

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{new EndpointReference(this, "tcp", EndpointProperty.HostAndPort)},password={Password}");
}
