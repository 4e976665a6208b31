var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
if (builder.Configuration.GetConnectionString("redis") is not null)
{
    builder.AddRedisClient("redis");
}

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
