using AppHost;
using AppHost.Lifecycle;
using AppHost.Publishing;
using AppHost.Resources;
using AppHost.ServiceWiring;

var builder = DistributedApplication.CreateBuilder(args);
FreePort.KeepOrchestratorPortsApart(builder.Configuration);
var settings = AppHostSettings.Read(builder.Configuration);
if ((KnownPublishers.Check(builder.Configuration) ?? BusyPorts.Check(builder, settings)) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 1;
}
using var runFolder = new PrivateRunFolder(builder.ExecutionContext);
var environment = settings.ServiceEnvironment ?? builder.Environment.EnvironmentName;

var redis = builder.AddRedisServer("redis", settings, runFolder);
var keyEncryptionKey = builder.AddRandomKeyParameter("keyservice-kek", bytes: 32);
var devClientSecret = builder.AddGeneratedSecret("dev-client-secret");

var keyservice = builder.AddProjectInstances<Projects.KeyService>("keyservice", settings.KeyServiceInstances, settings.Port(settings.KeyServicePort), environment)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(redis).WaitFor(redis);

var totservice = builder.AddProjectInstances<Projects.TotService>("totservice", settings.TotServiceInstances, settings.Port(settings.TotServicePort), environment)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(redis).WaitFor(redis)
    .WithReference(keyservice).WaitFor(keyservice);

keyservice.WithTokenIssuerSettings(keyEncryptionKey, devClientSecret, audience: totservice);
var devUserPassword = keyservice.WithDevelopmentSignIn(environment);
keyservice.WithUpstreamSignIn(settings.UpstreamSignIn);
totservice.WithTokenValidationSettings(issuer: keyservice);
builder.AddPrometheus(settings, runFolder, keyservice, totservice);
builder.AnnounceMcpEndpoint(keyservice, totservice, devClientSecret, devUserPassword, runFolder);
builder.WaitForProcessesOnExit();
builder.AddKubernetesPublishing();

var app = builder.Build();
await app.RunAsync();
return app.ExitCode();
