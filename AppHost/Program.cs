using AppHost.Extensions;
using AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis("redis");

var keyservice = builder.AddProject<Projects.KeyService>("keyservice")
    .WithHttpEndpoint(port: 5101)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(redis).WaitFor(redis);

var totservice = builder.AddProject<Projects.TotService>("totservice")
    .WithHttpEndpoint(port: 5102)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(redis).WaitFor(redis)
    .WithReference(keyservice).WaitFor(keyservice);

keyservice.WithTokenIssuerSettings(audience: totservice);
totservice.WithTokenValidationSettings(issuer: keyservice);
builder.AddPrometheus();
builder.AddDashboard();
builder.AddPublishers();
builder.AnnounceMcpEndpoint(keyservice, totservice);

builder.Build().Run();

/// <summary>Visible to the testing API, which runs this entry point to capture the app model.</summary>
public partial class Program;
