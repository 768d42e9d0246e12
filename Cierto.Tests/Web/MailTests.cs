using System.Text.RegularExpressions;
using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Cierto.Tests.Web;

/// <summary>The app with a real SMTP server: what leaves through the outbox, and how.</summary>
public sealed class MailFixture : SmtpAppFixture
{
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Cierto:Outbox:RetryDelaySeconds"] = "0.05",
        ["Cierto:Outbox:MaxAttempts"] = "3",
    };
}

public sealed partial class MailTests(MailFixture app) : IClassFixture<MailFixture>
{
    private static string Link(MimeMessage message)
    {
        var match = LinkPattern().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, message.TextBody);
        return match.Value;
    }

    private async Task<string> OpenAsync(string link, HttpClient? client = null)
    {
        var uri = new Uri(link);
        Assert.Equal("localhost", uri.Host);
        return await (client ?? app.App.CreateClient()).GetStringAsync(new Uri(uri.PathAndQuery, UriKind.Relative));
    }

    [Fact]
    public async Task Forgot_password_mails_a_working_reset_link_to_a_known_address_only()
    {
        var (user, _) = await app.CreateUserAsync(Roles.Support);
        var ghost = AppFixture.Email("ghost");

        await app.RunAsync<AccountRecovery>(s => s.RequestPasswordResetAsync(user.Email));
        await app.RunAsync<AccountRecovery>(s => s.RequestPasswordResetAsync(ghost));
        await app.DeliverOutboxAsync();

        var mail = await app.Smtp.NextForAsync(user.Email!);
        Assert.Equal("Reset your Cierto password", mail.Subject);
        Assert.NotNull(mail.HtmlBody);
        var page = await OpenAsync(Link(mail));
        Assert.Contains("Choose a new password", page, StringComparison.Ordinal);
        Assert.Contains(user.Email!, page, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Smtp.NextForAsync(ghost, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Registering_a_company_mails_its_admin_and_the_confirmation_link_works()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var inviteEmail = AppFixture.Email("invitee");
        var code = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(AppFixture.Unique("REG"), 7, inviteEmail)));
        await app.DeliverOutboxAsync();
        var invite = await app.Smtp.NextForAsync(inviteEmail);
        Assert.Equal("Your Cierto invite code", invite.Subject);
        Assert.Contains(code.Code, invite.TextBody, StringComparison.Ordinal);
        Assert.Contains("Register your company", await OpenAsync(Link(invite)), StringComparison.Ordinal);
        await using (var db = app.Db())
        {
            // Mailed once; the plain code does not stay in the outbox.
            Assert.False(await db.OutboxMessages.AnyAsync(m => m.Payload.Contains(code.Code)));
        }

        var adminEmail = AppFixture.Email("admin");
        await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s => s.RegisterAsync(new RegisterCompanyRequest(code.Code, "Mail Builders", code.CompanyIdentificationNumber, adminEmail, AppFixture.Password, "Mia Admin")));
        await app.DeliverOutboxAsync();

        var first = await app.Smtp.NextForAsync(adminEmail);
        var second = await app.Smtp.NextForAsync(adminEmail);
        var subjects = new[] { first.Subject, second.Subject };
        Assert.Contains("Mail Builders is registered on Cierto", subjects);
        var confirm = new[] { first, second }.Single(m => m.Subject == "Confirm your email address for Cierto");
        Assert.Contains("your email address is confirmed", await OpenAsync(Link(confirm)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Joining_approval_and_force_release_each_mail_the_right_person()
    {
        var (companyId, joinCode, admin) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var workerEmail = AppFixture.Email("joiner");
        await app.RunAsync<WorkerService>(s => s.RequestJoinAsync(new JoinRequest(joinCode, workerEmail, AppFixture.Password, "Jo <b>Joiner</b>")));
        await app.DeliverOutboxAsync();

        // The address is confirmed first; only then are the admins asked.
        var confirm = await app.Smtp.NextForAsync(workerEmail);
        Assert.Equal("Confirm your email address for Cierto", confirm.Subject);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Smtp.NextForAsync(adminUser.Email!, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("your email address is confirmed", await OpenAsync(Link(confirm)), StringComparison.Ordinal);
        await app.DeliverOutboxAsync();

        var waiting = await app.Smtp.NextForAsync(adminUser.Email!);
        Assert.Equal("A new worker is waiting for your approval on Cierto", waiting.Subject);
        Assert.EndsWith("/admin/workers", Link(waiting), StringComparison.Ordinal);
        Assert.Contains("Jo &lt;b&gt;Joiner&lt;/b&gt;", waiting.HtmlBody, StringComparison.Ordinal); // the requester's only text, encoded
        Assert.DoesNotContain(workerEmail, waiting.TextBody, StringComparison.Ordinal);

        await using var db = app.Db();
        var worker = await db.Users.SingleAsync(u => u.Email == workerEmail);
        await app.RunAsync<WorkerService>(s => s.ApproveAsync(admin, worker.Id));
        await app.DeliverOutboxAsync();
        var approved = await app.Smtp.NextForAsync(workerEmail);
        Assert.StartsWith("You can now use Cierto at", approved.Subject, StringComparison.Ordinal);
        Assert.Contains("Sign in", await OpenAsync(Link(approved)), StringComparison.Ordinal);

        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Mailed drill", null, null, null)));
        var workerActor = new Actor(worker.Id, companyId, [Roles.Worker]);
        var session = (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(workerActor, item.ActivationCode))).SessionId!.Value;
        await app.RunAsync<UsageService, ReleaseStatus>(s => s.ForceReleaseAsync(admin, session, "Needed on site B"));
        await app.DeliverOutboxAsync();
        var released = await app.Smtp.NextForAsync(workerEmail);
        Assert.Equal("Mailed drill was released by your company admin", released.Subject);
        Assert.Contains("Needed on site B", released.TextBody, StringComparison.Ordinal);
        Assert.Contains("Needed on site B", released.HtmlBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Fails a real registration at its commit, after the service has queued the admin's mails (a
    /// deferred trigger on the outbox raises at COMMIT): the company, the account and the messages
    /// go together, so nothing is ever sent about a company that does not exist.
    /// </summary>
    [Fact]
    public async Task A_registration_that_fails_after_queuing_its_mail_leaves_no_message_and_sends_nothing()
    {
        var (_, support) = await app.CreateUserAsync(Roles.Support);
        var identification = AppFixture.Unique("RB").ToUpperInvariant();
        var invite = await app.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(identification, 3, null)));
        var address = AppFixture.Email("rolledback");
        var before = DateTimeOffset.UtcNow;
        await using (var db = app.Db())
        {
            await db.Database.ExecuteSqlRawAsync(FailAtCommitSql);
        }

        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s =>
                s.RegisterAsync(new RegisterCompanyRequest(invite.Code, "Rolled back Ltd", identification, address, AppFixture.Password, "Rita Rollback"))));
            Assert.Contains("failed after the mail was queued", failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await using var db = app.Db();
            await db.Database.ExecuteSqlRawAsync("""DROP TRIGGER IF EXISTS fail_after_queue ON "OutboxMessages"; DROP FUNCTION IF EXISTS fail_after_queue();""");
        }

        await app.DeliverOutboxAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Smtp.NextForAsync(address, TimeSpan.FromMilliseconds(500)));
        await using var check = app.Db();
        Assert.False(await check.Companies.AnyAsync(c => c.IdentificationNumber == identification));
        Assert.False(await check.Users.AnyAsync(u => u.Email == address));
        Assert.False(await check.OutboxMessages.AnyAsync(m => m.CreatedAt >= before && (m.Kind == CompanyRegistered.Kind || m.Kind == EmailConfirmationRequested.Kind)));

        // The code was not spent either: the same registration goes through once the fault is gone.
        var registered = await app.RunAsync<CompanyRegistrationService, RegisteredCompany>(s =>
            s.RegisterAsync(new RegisterCompanyRequest(invite.Code, "Rolled back Ltd", identification, address, AppFixture.Password, "Rita Rollback")));
        await app.DeliverOutboxAsync();
        Assert.Equal(address, (await app.Smtp.NextForAsync(address)).To.Mailboxes.Single().Address);
        Assert.True(await check.Companies.AnyAsync(c => c.Id == registered.CompanyId && c.IdentificationNumber == identification));
    }

    private const string FailAtCommitSql = """
        CREATE OR REPLACE FUNCTION fail_after_queue() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM "Companies" WHERE "Name" = 'Rolled back Ltd' AND NEW."Payload" LIKE '%' || "Id"::text || '%') THEN
                RAISE EXCEPTION 'registration failed after the mail was queued';
            END IF;
            RETURN NEW;
        END $$;
        DROP TRIGGER IF EXISTS fail_after_queue ON "OutboxMessages";
        CREATE CONSTRAINT TRIGGER fail_after_queue AFTER INSERT ON "OutboxMessages"
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_after_queue();
        """;

    [Fact]
    public async Task A_long_use_summary_is_written_once_a_day_and_mailed_to_the_admins()
    {
        var (companyId, _, admin) = await app.CreateCompanyAsync();
        var (adminUser, _) = await app.CreateUserAsync(Roles.CompanyAdmin, companyId);
        var item = await app.RunAsync<EquipmentService, EquipmentRow>(s => s.CreateAsync(admin, new EquipmentInput("Forgotten ladder", "LD-9", null, null)));
        var (_, worker) = await app.CreateUserAsync(Roles.Worker, companyId);
        var session = (await app.RunAsync<UsageService, ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode))).SessionId!.Value;
        await using (var db = app.Db())
        {
            await db.UsageSessions.Where(s => s.Id == session).ExecuteUpdateAsync(s => s.SetProperty(x => x.StartedAt, DateTimeOffset.UtcNow.AddHours(-30)));
        }

        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cierto:Mail:LongUseSummary:HourUtc"] = "0",
            ["Cierto:Mail:LongUseSummary:ThresholdHours"] = "24",
        }).Build();
        var scheduler = new LongUseSummaryScheduler(app.App.Services.GetRequiredService<IServiceScopeFactory>(), config, TimeProvider.System, app.App.Services.GetRequiredService<Cierto.Domain.Data.DatabaseOutages>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<LongUseSummaryScheduler>.Instance);

        Assert.True(await scheduler.ScheduleAsync(CancellationToken.None) >= 1);
        Assert.Equal(0, await scheduler.ScheduleAsync(CancellationToken.None)); // once a day, however often it runs
        await app.DeliverOutboxAsync();

        var summary = await app.Smtp.NextForAsync(adminUser.Email!);
        Assert.Contains("held longer than 24 hours", summary.Subject, StringComparison.Ordinal);
        Assert.Contains("Forgotten ladder (LD-9)", summary.TextBody, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"http://localhost/\S+")]
    private static partial Regex LinkPattern();
}

/// <summary>SMTP going away and two instances racing over one outbox.</summary>
public sealed class MailDeliveryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static Dictionary<string, string?> Settings(SmtpTestServer smtp) => new(smtp.AppSettings)
    {
        ["Cierto:Outbox:PollMilliseconds"] = "3600000",
        ["Cierto:Outbox:RetryDelaySeconds"] = "0.05",
        ["Cierto:Outbox:MaxAttempts"] = "5",
    };

    private static async Task EnqueueAsync(CiertoAppFactory app, IEnumerable<string> addresses)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
        foreach (var address in addresses)
        {
            db.Enqueue(new InviteCodeIssued(Guid.NewGuid(), address, "CODE-1234", "RACE1", DateTimeOffset.UtcNow.AddDays(1)), DateTimeOffset.UtcNow);
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task With_smtp_down_a_message_is_retried_and_delivered_when_it_is_back()
    {
        await using var smtp = new SmtpTestServer();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)); // the back-off passes on this clock, not in real time
        await using var app = new CiertoAppFactory(database, Settings(smtp), s => s.AddSingleton<TimeProvider>(clock));
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        var address = AppFixture.Email("patient");
        await EnqueueAsync(app, [address]);

        await dispatcher.DispatchBatchAsync(CancellationToken.None);
        await using (var db = database.CreateContext())
        {
            var waiting = await db.OutboxMessages.SingleAsync(m => m.Payload.Contains(address));
            Assert.Equal(OutboxStatus.Pending, waiting.Status);
            Assert.Equal(1, waiting.Attempts);
            Assert.False(string.IsNullOrEmpty(waiting.LastError));
        }

        await smtp.StartAsync();
        Assert.Equal(0, await dispatcher.DispatchBatchAsync(CancellationToken.None)); // not before its back-off has passed
        clock.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchBatchAsync(CancellationToken.None);

        Assert.Equal("Your Cierto invite code", (await smtp.NextForAsync(address)).Subject);
        await using var after = database.CreateContext();
        var sent = await after.OutboxMessages.SingleAsync(m => m.Payload.Contains(address));
        Assert.Equal((OutboxStatus.Sent, 2), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task After_the_last_attempt_a_message_is_marked_failed_with_its_error_and_root_can_retry_it()
    {
        await using var smtp = new SmtpTestServer();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        await using var app = new CiertoAppFactory(database, Settings(smtp), s => s.AddSingleton<TimeProvider>(clock));
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        var address = AppFixture.Email("unlucky");
        await EnqueueAsync(app, [address]);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(1, await dispatcher.DispatchBatchAsync(CancellationToken.None));
            clock.Advance(TimeSpan.FromMinutes(1)); // past the back-off (0.05 s doubling), short of the background poll (an hour) so only this test dispatches
        }

        Guid id;
        await using (var db = database.CreateContext())
        {
            var failed = await db.OutboxMessages.SingleAsync(m => m.Payload.Contains(address));
            Assert.Equal(OutboxStatus.Failed, failed.Status);
            Assert.Equal(5, failed.Attempts);
            Assert.Contains("refused", failed.LastError!, StringComparison.OrdinalIgnoreCase);
            id = failed.Id;
        }

        await smtp.StartAsync();
        var root = new Actor(Guid.NewGuid(), null, [Roles.Root]);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OutboxService>().RetryAsync(root, id);
        }

        await dispatcher.DispatchBatchAsync(CancellationToken.None);
        Assert.Equal("Your Cierto invite code", (await smtp.NextForAsync(address)).Subject);
    }

    [Fact]
    public async Task A_join_that_failed_for_good_keeps_its_password_hash_for_a_day_at_most()
    {
        // Its own database: the other tests' failed messages must not be counted here.
        var own = new PostgresDatabase();
        await own.InitializeAsync();
        await using var dropDatabase = new AsyncDisposal(own.DisposeAsync);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        var settings = new Dictionary<string, string?>
        {
            ["Cierto:Outbox:PollMilliseconds"] = "3600000",
            ["Cierto:Outbox:RetryDelaySeconds"] = "0.05",
            ["Cierto:Outbox:MaxAttempts"] = "2",
        };
        await using var app = new CiertoAppFactory(own, settings, s => s.AddSingleton<TimeProvider>(clock));
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        var hash = $"AQAAAAIAAYagAAAAE{Guid.NewGuid():N}";
        var email = $"not an address {Guid.NewGuid():N}";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CiertoUser>>();
            var root = AccountRules.NewUser(AppFixture.Email("root"), "Root", null, UserStatus.Active, DateTimeOffset.UtcNow);
            AccountRules.ThrowIfFailed(await users.CreateAsync(root, AppFixture.Password));
            AccountRules.ThrowIfFailed(await users.AddToRoleAsync(root, Roles.Root));
            var company = await scope.ServiceProvider.GetRequiredService<CompanyRegistrationService>().CreateAsync(Actor.For(root, [Roles.Root]),
                new CreateCompanyRequest($"Company {Guid.NewGuid():N}"[..20], AppFixture.Unique("C"), AppFixture.Email("admin"), "Admin"));

            // Identity refuses the address, so every attempt to make the account fails.
            var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
            db.Enqueue(new JoinRequested(company.CompanyId, email, "Doomed", hash), clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await dispatcher.DispatchBatchAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        async Task<OutboxMessage> JoinAsync()
        {
            await using var db = own.CreateContext();
            return await db.OutboxMessages.SingleAsync(m => m.Kind == JoinRequested.Kind && m.Payload.Contains(email));
        }

        Assert.Equal(OutboxStatus.Failed, (await JoinAsync()).Status);
        clock.Advance(TimeSpan.FromHours(23)); // Root may still retry it after fixing the cause
        Assert.Equal(0, await dispatcher.ExpireFailedSecretsAsync(CancellationToken.None));
        Assert.Equal(hash, OutboxWriter.Read<JoinRequested>(await JoinAsync()).PasswordHash);

        clock.Advance(TimeSpan.FromMinutes(58)); // a day after it was written
        Assert.Equal(1, await dispatcher.ExpireFailedSecretsAsync(CancellationToken.None));
        var expired = await JoinAsync();
        Assert.Equal(OutboxStatus.Failed, expired.Status);
        Assert.DoesNotContain(hash, expired.Payload, StringComparison.Ordinal);
        Assert.Equal(new JoinRequested(OutboxWriter.Read<JoinRequested>(expired).CompanyId, email, "Doomed", OutboxWriter.Redacted), OutboxWriter.Read<JoinRequested>(expired));
        Assert.Equal(0, await dispatcher.ExpireFailedSecretsAsync(CancellationToken.None));

        // Without its secret it cannot be sent again (it would make an account without a password, or mail "(redacted)" as a code): Root is told so.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<Cierto.Domain.Common.DomainException>(() => scope.ServiceProvider.GetRequiredService<OutboxService>().RetryAsync(new Actor(Guid.NewGuid(), null, [Roles.Root]), expired.Id));
            Assert.Equal("secret_expired", refused.Code);
        }

        await dispatcher.DispatchBatchAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.Failed, (await JoinAsync()).Status);
        await using var check = own.CreateContext();
        Assert.False(await check.Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task A_dispatcher_killed_between_sending_and_committing_repeats_at_most_that_one_message()
    {
        await using var smtp = new SmtpTestServer();
        await smtp.StartAsync();
        var settings = new Dictionary<string, string?>(Settings(smtp)) { ["Cierto:Outbox:LeaseSeconds"] = "1" };
        await using var app = new CiertoAppFactory(database, settings, services => services.AddSingleton<Cierto.Web.Infrastructure.Mail.IMailSender>(
            new DyingMailSender(new Cierto.Web.Infrastructure.Mail.SmtpMailSender(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(Cierto.Web.Infrastructure.Mail.SmtpSettings.Section).Get<Cierto.Web.Infrastructure.Mail.SmtpSettings>()!), dieAfter: 4)));
        var addresses = Enumerable.Range(0, 10).Select(i => AppFixture.Email($"crash{i}")).ToList();
        await EnqueueAsync(app, addresses);
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.DispatchBatchAsync(CancellationToken.None));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int Delivered() => smtp.Messages.SelectMany(m => m.To.Mailboxes).Count(a => addresses.Contains(a.Address));
        while (addresses.Except(smtp.Messages.SelectMany(m => m.To.Mailboxes).Select(a => a.Address)).Any() && DateTime.UtcNow < deadline)
        {
            await dispatcher.DispatchBatchAsync(CancellationToken.None); // the in-flight message comes back when its lease ends
            await Task.Delay(100);
        }

        var perAddress = addresses.ToDictionary(a => a, a => smtp.Messages.SelectMany(m => m.To.Mailboxes).Count(x => x.Address == a));
        Assert.All(perAddress, p => Assert.InRange(p.Value, 1, 2));
        Assert.Equal(1, perAddress.Count(p => p.Value == 2)); // only the message whose commit was cut off
        Assert.Equal(addresses.Count + 1, Delivered());
        await using var db = database.CreateContext();
        var rows = await db.OutboxMessages.Where(m => m.Payload.Contains("crash")).ToListAsync();
        Assert.Equal(addresses.Count, rows.Count);
        Assert.All(rows, m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    [Fact]
    public async Task Two_instances_racing_over_one_outbox_deliver_each_message_once()
    {
        await using var smtp = new SmtpTestServer();
        await smtp.StartAsync();
        await using var instanceA = new CiertoAppFactory(database, Settings(smtp));
        await using var instanceB = new CiertoAppFactory(database, Settings(smtp));
        var addresses = Enumerable.Range(0, 60).Select(i => AppFixture.Email($"race{i}")).ToList();
        await EnqueueAsync(instanceA, addresses);
        var dispatchers = new[] { instanceA, instanceB }.Select(a => a.Services.GetRequiredService<OutboxDispatcher>()).ToList();

        Task RaceAsync() => Task.WhenAll(dispatchers.SelectMany(d => Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (await d.DispatchBatchAsync(CancellationToken.None) > 0)
            {
            }
        }))));
        List<string> Delivered() => [.. smtp.Messages.SelectMany(m => m.To.Mailboxes.Select(a => a.Address)).Where(addresses.Contains)];

        await RaceAsync();
        for (var round = 0; round < 5 && Delivered().Distinct().Count() < addresses.Count; round++)
        {
            // On a loaded machine a send can time out: that message waits for its retry, it is not
            // lost. Bring the retries forward (as time would) and race again.
            await using var db = database.CreateContext();
            await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Pending && m.Payload.Contains("race"))
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
            await RaceAsync();
        }

        // Exactly once, except that a send which failed on our side (a timeout on a loaded machine)
        // may have reached the server before it is retried: at most twice, and only after a failure.
        var delivered = Delivered();
        await using var outbox = database.CreateContext();
        var failedOnce = (await outbox.OutboxMessages.AsNoTracking().Where(m => m.Payload.Contains("race")).ToListAsync())
            .Where(m => m.Attempts > 1 || m.LastError != null)
            .Select(m => addresses.Single(a => m.Payload.Contains(a, StringComparison.Ordinal)))
            .ToHashSet();
        Assert.Equal(addresses.Order(), delivered.Distinct().Order());
        Assert.All(addresses, a => Assert.InRange(delivered.Count(d => d == a), 1, failedOnce.Contains(a) ? 2 : 1));
    }
}

/// <summary>Runs an async clean-up at the end of a <c>using</c> scope.</summary>
internal sealed class AsyncDisposal(Func<Task> dispose) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await dispose();
}
