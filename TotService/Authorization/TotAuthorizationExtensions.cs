using TotService.Identity;

namespace TotService.Authorization;

public static class TotAuthorizationExtensions
{
    /// <summary>One policy per scope (named as the scope, used by <see cref="RequiresScopeAttribute"/>) and <c>/mcp</c>'s own.</summary>
    public static IHostApplicationBuilder AddTotAuthorization(this IHostApplicationBuilder builder)
    {
        var policies = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TotScopes.AnyPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => context.User.HasAnyTotScope()));
        foreach (var scope in TotScopes.All)
        {
            policies.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => context.User.HasScope(scope)));
        }
        builder.Services.AddSingleton<ToolScopeRegistry>();
        builder.Services.AddSingleton<PromptResourceScopeRegistry>();
        return builder;
    }
}
