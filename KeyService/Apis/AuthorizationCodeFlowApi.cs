using KeyService.Authorization;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

public static class AuthorizationCodeFlowApi
{
    /// <summary>The authorization, consents, revocation and registration endpoints, mapped only when someone can sign in.</summary>
    public static WebApplication MapAuthorizationCodeFlow(this WebApplication app)
    {
        app.UseCors();
        if (app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
            app.MapAuthorizeApi();
            app.MapConsentsApi();
            app.MapRevocationApi();
            app.MapRegistrationApi();
        }
        return app;
    }
}
