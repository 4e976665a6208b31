namespace KeyService.Apis;

public static class JwksApi
{
    public const string Path = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapJwksApi(this IEndpointRouteBuilder app)
    {
        var responder = ActivatorUtilities.CreateInstance<JwksResponder>(app.ServiceProvider);
        // A plain RequestDelegate: no parameter binding and no IResult per request on the hottest public endpoint.
        app.MapGet(Path, (RequestDelegate)responder.WriteAsync)
            .WithName("GetJwks")
            .WithSummary("RFC 7517 JSON Web Key Set: public keys in states published, active and retired.")
            .AllowAnonymous();
        return app;
    }
}
