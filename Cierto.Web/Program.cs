using Cierto.Web;
using Cierto.Web.Infrastructure;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCiertoWeb();

    var app = builder.Build();
    app.UseCiertoWeb();
    await app.RunAsync();
}
catch (StartupConfigurationException ex)
{
    // A setting is wrong: say which one, once, without a stack trace.
    await Console.Error.WriteLineAsync($"crit: Cierto cannot start: {ex.Message}");
    Environment.ExitCode = 1;
}

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
