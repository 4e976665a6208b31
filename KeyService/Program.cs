using KeyService.Apis;
using KeyService.Authorization;
using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using KeyService.Storage;
using KeyService.Tokens;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddErrorHandling();
builder.AddKeyServiceOptions();
builder.AddKeyServiceDiagnostics();
builder.AddKeyRingStorage();            // Redis when ConnectionStrings:redis is set, else a file
builder.AddKeyRing();
builder.AddTokenIssuance();
builder.AddAdminAuthentication();
builder.AddAuthorizationCodeFlow();     // people: PKCE, sign-in, consent, refresh tokens, registration
builder.AddRegistrationRateLimit();
builder.Services.AddSingleton<DiscoveryDocument>();

var app = builder.Build();

app.UseErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapJwksApi();
app.MapDiscoveryApi();
app.MapTokenApi();
app.MapAdminApi();
app.MapAuthorizationCodeFlow();

app.Run();

/// <summary>Entry point, public so the tests host this composition through WebApplicationFactory.</summary>
public partial class Program;
