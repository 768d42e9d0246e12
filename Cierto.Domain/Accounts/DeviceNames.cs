namespace Cierto.Domain.Accounts;

/// <summary>
/// A browser's User-Agent in a few words for the "Signed-in devices" list ("Firefox on Windows").
/// A label for people, not a detection: a dozen well-known tokens are enough, so no parser library
/// (and its regular-expression database) is taken on for it.
/// </summary>
public static class DeviceNames
{
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
    ];

    public static string Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown browser";
        }

        var browser = Browsers.FirstOrDefault(b => userAgent.Contains(b.Token, StringComparison.Ordinal)).Name;
        var system = Systems.FirstOrDefault(s => userAgent.Contains(s.Token, StringComparison.Ordinal)).Name;
        var name = (browser, system) switch
        {
            (null, null) => userAgent.Trim(),
            (null, _) => $"Browser on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
        return !Common.Text.IsClean(name) ? "Unknown browser" : name.Length <= SignInSession.DeviceMaxLength ? name : name[..SignInSession.DeviceMaxLength];
    }
}
