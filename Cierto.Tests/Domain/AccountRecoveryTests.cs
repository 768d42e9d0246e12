using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

public sealed class AccountRecoveryTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<List<string>> RecordRequestAsync(string email)
    {
        var recorder = new SqlCommandRecorder();
        await using var db = recorder.Context(app.Database);
        await new AccountRecovery(db, new PasswordResetRequestValidator(), TimeProvider.System).RequestPasswordResetAsync(email);
        return recorder.Commands;
    }

    [Fact]
    public async Task Forgot_password_does_the_same_database_work_for_known_and_unknown_addresses()
    {
        var (known, _) = await app.CreateUserAsync(Roles.Support);
        var unknown = AppFixture.Email("nobody");

        var forKnown = await RecordRequestAsync(known.Email!);
        var forUnknown = await RecordRequestAsync(unknown);

        Assert.NotEmpty(forKnown);
        Assert.Equal(forKnown, forUnknown);
        Assert.DoesNotContain(forKnown, c => c.Contains("AspNetUsers", StringComparison.Ordinal));
        await using var db = app.Db();
        var requests = await db.OutboxMessages.Where(m => m.Kind == PasswordResetRequested.Kind).Select(m => m.Payload).ToListAsync();
        Assert.Single(requests, p => p.Contains(known.Email!, StringComparison.Ordinal));
        Assert.Single(requests, p => p.Contains(unknown, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_outbox_sends_a_reset_mail_only_when_the_account_exists()
    {
        var (known, _) = await app.CreateUserAsync(Roles.Support);
        var pickup = Path.Combine(app.App.Services.GetRequiredService<Cierto.Web.Infrastructure.HostingMode>().DataDirectory, "mail-pickup");
        var ghost = AppFixture.Email("ghost");

        await app.RunAsync<AccountRecovery>(s => s.RequestPasswordResetAsync(known.Email));
        await app.RunAsync<AccountRecovery>(s => s.RequestPasswordResetAsync(ghost));
        await app.DeliverOutboxAsync();

        var mails = Directory.GetFiles(pickup).Select(File.ReadAllText).ToList();
        Assert.Single(mails, m => m.Contains(known.Email!, StringComparison.Ordinal) && m.Contains("Account/ResetPassword?code=", StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => m.Contains(ghost, StringComparison.Ordinal));
        await using var db = app.Db();
        Assert.DoesNotContain(await db.OutboxMessages.Select(m => m.Status).ToListAsync(), s => s != OutboxStatus.Sent);
    }

    [Fact]
    public async Task A_malformed_address_is_refused_and_nothing_is_written()
    {
        await using var db = app.Db();
        var before = await db.OutboxMessages.CountAsync();

        await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<AccountRecovery>(s => s.RequestPasswordResetAsync("not an email")));
        await Assert.ThrowsAsync<ValidationException>(() => app.RunAsync<AccountRecovery>(s => s.RequestPasswordResetAsync(new string('a', 300) + "@x.test")));

        Assert.Equal(before, await db.OutboxMessages.CountAsync());
    }
}
