var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();

// GET /resolve/keyservice fetches http://keyservice/alive through service discovery.
app.MapGet("/resolve/{service}", async (string service, IHttpClientFactory clients, CancellationToken cancellationToken) =>
{
    using var response = await clients.CreateClient().GetAsync(new Uri($"http://{service}/alive"), cancellationToken);
    return Results.Text($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
});

app.Run();
