using AppHost.Hosting;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;

namespace AppHost.Tests.Unit;

public sealed class ReferenceExpressionTests
{
    [Fact]
    public void An_expression_resolves_to_ports_and_renders_as_manifest_placeholders()
    {
        var builder = DistributedApplicationTestingBuilder.Create().Builder;
        var web = builder.AddExecutable("web", "true", ".");
        var expression = ReferenceExpression.Create($"{web.GetEndpoint()}/mcp");

        var resolved = expression.Resolve(new ResolutionContext((_, _) => 4321, replica: 0));

        Assert.Equal("http://localhost:4321/mcp", resolved);
        Assert.Equal("{web.bindings.http.url}/mcp", expression.ManifestExpression);
        Assert.False(expression.IsSecret);
    }

    [Fact]
    public void A_redis_connection_string_carries_the_password_and_is_secret()
    {
        var builder = DistributedApplicationTestingBuilder.Create().Builder;
        var redis = builder.AddRedis("cache");
        redis.Resource.Password.Value = "pw";

        var expression = redis.Resource.ConnectionStringExpression;

        Assert.Equal("localhost:6000,password=pw", expression.Resolve(new ResolutionContext((_, _) => 6000, 0)));
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", expression.ManifestExpression);
        Assert.True(expression.IsSecret);
    }

    [Fact]
    public void Generated_secrets_are_random_and_url_safe()
    {
        var first = ParameterResource.RandomToken(32);
        var second = ParameterResource.RandomToken(32);
        Assert.NotEqual(first, second);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first);
        Assert.Equal(32, Convert.FromBase64String(ParameterResource.RandomKey(32)).Length);
    }
}
