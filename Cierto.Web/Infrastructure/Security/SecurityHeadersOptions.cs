namespace Cierto.Web.Infrastructure.Security;

/// <summary>
/// What an operator may add to the content policy (<c>Cierto:Security:Headers</c>): origins the
/// pages may connect to besides their own, e.g. a browser telemetry collector. Everything else
/// in the header set is fixed (README "Security").
/// </summary>
public sealed class SecurityHeadersOptions
{
    public const string Section = "Cierto:Security:Headers";

    /// <summary>Extra <c>connect-src</c> origins, each an absolute https or wss origin (e.g. <c>https://otel.example.com</c>).</summary>
    public IList<string> ConnectSources { get; } = [];

    /// <summary>Null when every source is an origin a policy can carry as it is; else what is wrong, naming the value.</summary>
    public string? Problem()
    {
        foreach (var source in ConnectSources)
        {
            if (!Uri.TryCreate(source, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "wss")
                || uri.Host.Contains('*', StringComparison.Ordinal)
                || !string.IsNullOrEmpty(uri.UserInfo)
                || uri.PathAndQuery != "/" || uri.Fragment.Length > 0
                || source.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'' or '"'))
            {
                return $"holds '{source}', which is not an https:// or wss:// origin (scheme, host and optional port, nothing else).";
            }
        }

        return null;
    }
}
