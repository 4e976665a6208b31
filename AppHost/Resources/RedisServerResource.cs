namespace AppHost.Resources;

/// <summary>
/// A Redis-protocol server run as a local process (Debian's <c>redis-server</c> or Microsoft Garnet), for machines
/// without a container engine. Its connection string has the shape of Aspire's own Redis resource, so the services'
/// <c>AddRedisClient("redis")</c> cannot tell the two apart.
/// </summary>
public sealed class RedisServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={Password}");
}
