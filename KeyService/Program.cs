using KeyService;

var builder = WebApplication.CreateBuilder(args);

builder.AddKeyService();

var app = builder.Build();

app.MapKeyService();

app.Run();

/// <summary>Entry point, public for tests.</summary>
public partial class Program;
