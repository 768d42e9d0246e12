namespace Cierto.Tests.Infrastructure;

/// <summary>The app with a real SMTP server (started before the app, stopped after it) and mail links on <c>http://localhost</c>.</summary>
public abstract class SmtpAppFixture : AppFixture
{
    public SmtpTestServer Smtp { get; } = new();

    /// <summary>What a derived fixture adds to the SMTP settings.</summary>
    protected abstract IReadOnlyDictionary<string, string?> MoreSettings { get; }

    protected sealed override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>(Smtp.AppSettings) { ["Cierto:PublicBaseUrl"] = "http://localhost" };
            foreach (var (key, value) in MoreSettings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
