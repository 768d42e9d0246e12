using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A class fixture with the real app wired on its own PostgreSQL database, for tests that call
/// the domain services as the app does (same DI, same Identity, same outbox).
/// </summary>
public class AppFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Tests deliver the outbox themselves, deterministically.
        ["Cierto:Outbox:PollMilliseconds"] = "3600000",
    };

    public AppFixture()
        : this(new PostgresDatabase())
    {
    }

    /// <summary>For a fixture whose app runs on a database of its own server (fault tests).</summary>
    protected AppFixture(PostgresDatabase database) => Database = database;

    public PostgresDatabase Database { get; }

    public CiertoAppFactory App { get; private set; } = default!;

    /// <summary>Services a derived fixture replaces or adds (e.g. an observer around a real service).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Settings a derived fixture adds (or overrides) before the app starts.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        AppSettings = settings;
        App = StartApp();
    }

    /// <summary>The settings the app was started with (a restart uses them again).</summary>
    protected IReadOnlyDictionary<string, string?> AppSettings { get; private set; } = new Dictionary<string, string?>();

    /// <summary>Starts the host; migrations are already applied by the template database.</summary>
    private CiertoAppFactory StartApp()
    {
        var app = new CiertoAppFactory(Database, new Dictionary<string, string?>(AppSettings), ConfigureServices);
        Launch(app);
        return app;
    }

    /// <summary>In memory (TestServer) unless a derived fixture needs a real server.</summary>
    protected virtual void Launch(CiertoAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Server;
    }

    /// <summary>Stops the app and starts a new instance on the same database (a deployment, a crash).</summary>
    public async Task RestartAppAsync(Func<Task>? whileStopped = null)
    {
        await App.DisposeAsync();
        try
        {
            if (whileStopped is not null)
            {
                await whileStopped();
            }
        }
        finally
        {
            App = StartApp();
        }
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Runs code in a fresh scope, like one request.</summary>
    public async Task<T> RunAsync<TService, T>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync<TService>(Func<TService, Task> action)
        where TService : notnull
    {
        await using var scope = App.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public CiertoDbContext Db() => Database.CreateContext();

    /// <summary>Delivers every due outbox message, as the background dispatcher would.</summary>
    public async Task DeliverOutboxAsync()
    {
        var dispatcher = App.Services.GetRequiredService<OutboxDispatcher>();
        while (await dispatcher.DispatchBatchAsync(CancellationToken.None) > 0)
        {
        }
    }

    /// <summary>
    /// The link (path and query) of the newest mail to <paramref name="to"/> in the app's pickup
    /// folder whose link path starts with <paramref name="path"/>, as a person would click it.
    /// Waits for the outbox (a running dispatcher) up to a generous deadline.
    /// </summary>
    public async Task<string> MailedLinkAsync(string to, string path)
    {
        var link = await WaitForMailAsync(to, $"a link to {path}", mails => mails
            .Select(m => System.Text.RegularExpressions.Regex.Match(m.TextBody ?? string.Empty, $@"https?://[^/\s]+(/{System.Text.RegularExpressions.Regex.Escape(path.TrimStart('/'))}\S*)"))
            .FirstOrDefault(m => m.Success));
        return link.Groups[1].Value;
    }

    /// <summary>The mail to <paramref name="to"/> with exactly this subject in the pickup folder, once the outbox has written it.</summary>
    public Task<MimeKit.MimeMessage> MailAsync(string to, string subject) =>
        WaitForMailAsync(to, $"the subject \"{subject}\"", mails => mails.FirstOrDefault(m => m.Subject == subject));

    /// <summary>Looks through the mails to <paramref name="to"/> (newest first) until <paramref name="find"/> finds one, up to a generous deadline.</summary>
    private async Task<T> WaitForMailAsync<T>(string to, string what, Func<IEnumerable<MimeKit.MimeMessage>, T?> find)
        where T : class
    {
        var pickup = Path.Combine(App.Services.GetRequiredService<Cierto.Web.Infrastructure.HostingMode>().DataDirectory, "mail-pickup");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var found = !Directory.Exists(pickup) ? null : find(Directory.GetFiles(pickup, "*.eml")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .Select(f => MimeKit.MimeMessage.Load(f))
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase))));
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No mail to {to} with {what} in {pickup}.");
            await Task.Delay(200);
        }
    }

    public static string Unique(string prefix = "u") => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(24, prefix.Length + 20)];

    public static string Email(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@cierto.test";

    public const string Password = "Str0ng-password!";

    public async Task<(CiertoUser User, Actor Actor)> CreateUserAsync(string role, Guid? companyId = null, UserStatus status = UserStatus.Active)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CiertoUser>>();
        var user = AccountRules.NewUser(Email(role.ToLowerInvariant()), $"{role} {Guid.NewGuid():N}"[..20], companyId, status, DateTimeOffset.UtcNow);
        user.EmailConfirmed = true; // as if they had opened the confirmation link
        AccountRules.ThrowIfFailed(await users.CreateAsync(user, Password));
        AccountRules.ThrowIfFailed(await users.AddToRoleAsync(user, role));
        return (user, Actor.For(user, [role]));
    }

    /// <summary>A company made by Root, with its admin (who gets a set-password mail, not delivered here).</summary>
    public async Task<(Guid CompanyId, string JoinCode, Actor Admin)> CreateCompanyAsync()
    {
        var (_, root) = await CreateUserAsync(Roles.Root);
        var created = await RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.CreateAsync(root,
            new CreateCompanyRequest($"Company {Guid.NewGuid():N}"[..20], Unique("C"), Email("admin"), "Admin")));
        return (created.CompanyId, created.JoinCode, new Actor(created.AdminId, created.CompanyId, [Roles.CompanyAdmin]));
    }

    /// <summary>One free item, written directly (no admin needed): for tests about using or booking it.</summary>
    public async Task<EquipmentItem> AddItemAsync(Guid companyId, string name, string? inventoryNumber = null)
    {
        var item = new EquipmentItem(companyId, name, inventoryNumber, null, null, DateTimeOffset.UtcNow);
        await using var db = Db();
        db.Equipment.Add(item);
        await db.SaveChangesAsync();
        return item;
    }

    /// <summary>The start of the current UTC hour, moved by <paramref name="hours"/>: whole hours keep booking tests readable.</summary>
    public static DateTimeOffset Hour(int hours)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(hours);
    }

    /// <summary>
    /// Many free items at once, in one statement ("Item 000001", "Item 000002", ...), for lists longer
    /// than anyone would create through the service in a test.
    /// </summary>
    public async Task SeedItemsAsync(Guid companyId, int count)
    {
        await using var db = Db();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "Equipment" ("Id", "CompanyId", "Name", "ActivationCode", "Status", "CreatedAt", "UpdatedAt", "Version")
            SELECT gen_random_uuid(), {companyId}, 'Item ' || lpad(i::text, 6, '0'), lpad(i::text, 8, '0'), 0, now(), now(), gen_random_uuid()
            FROM generate_series(1, {count}) AS i
            """);
    }
}

