namespace Cierto.Web.Infrastructure;

/// <summary>
/// Start-up cannot go on because of a setting. The message names the setting and is logged
/// alone, as one line, instead of a stack trace.
/// </summary>
public sealed class StartupConfigurationException(string setting, string problem)
    : Exception($"{setting} {problem}")
{
    public string Setting { get; } = setting;
}
