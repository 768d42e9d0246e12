using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Infrastructure.Mail;
using Cierto.Web.Infrastructure.Outbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cierto.Tests.Web;

/// <summary>
/// The outbox in the embedded mode (SQLite, no SKIP LOCKED): a dispatcher that dies between a send
/// and its commit leaves its claim behind; nothing is sent twice while the lease holds, and the next
/// dispatcher takes the message over once it ends (on a fake clock, not by waiting).
/// </summary>
public sealed class EmbeddedOutboxTests
{
    [Fact]
    public async Task On_sqlite_a_dead_dispatchers_claim_holds_until_its_lease_ends_and_is_then_taken_over()
    {
        await using var smtp = new SmtpTestServer();
        await smtp.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var directory = Path.Combine(Path.GetTempPath(), "cierto-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>(smtp.AppSettings)
        {
            ["Cierto:DataDirectory"] = directory,
            ["Cierto:Demo:Enabled"] = "false",
            ["Cierto:Outbox:PollMilliseconds"] = "3600000",
            ["Cierto:Outbox:LeaseSeconds"] = "300",
        };
        var smtpSettings = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(SmtpSettings.Section).Get<SmtpSettings>()!;
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton<IMailSender>(new DyingMailSender(new SmtpMailSender(smtpSettings), dieAfter: 2));
            });
        });

        var addresses = Enumerable.Range(0, 5).Select(i => AppFixture.Email($"embedded{i}")).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CiertoDbContext>();
            Assert.Equal(DatabaseProvider.Sqlite, db.Provider);
            foreach (var (address, i) in addresses.Select((a, i) => (a, i)))
            {
                db.Enqueue(new InviteCodeIssued(Guid.NewGuid(), address, $"CODE-{i}", $"EMB{i}", clock.GetUtcNow().AddDays(1)), clock.GetUtcNow().AddSeconds(i - 10)); // all due, in this order
            }

            await db.SaveChangesAsync();
        }

        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.DispatchBatchAsync(CancellationToken.None)); // dies right after the second send
        var cutOff = addresses[1];
        Assert.Equal(0, await dispatcher.DispatchBatchAsync(CancellationToken.None)); // its whole batch is still claimed: nothing goes out twice meanwhile
        Assert.Equal(1, Count(smtp, cutOff));
        Assert.Equal(0, Count(smtp, addresses[2]));

        clock.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(0, await dispatcher.DispatchBatchAsync(CancellationToken.None)); // not a moment early
        clock.Advance(TimeSpan.FromSeconds(2)); // the dead dispatcher's lease ends
        Assert.Equal(4, await dispatcher.DispatchBatchAsync(CancellationToken.None)); // the cut-off message and the ones it never reached

        Assert.Equal(2, Count(smtp, cutOff)); // at most the one message whose commit was cut off is sent again
        Assert.All(addresses.Where(a => a != cutOff), a => Assert.Equal(1, Count(smtp, a)));
        await using var check = app.Services.CreateAsyncScope();
        var rows = await check.ServiceProvider.GetRequiredService<CiertoDbContext>().OutboxMessages.ToListAsync();
        Assert.Equal(addresses.Count, rows.Count);
        Assert.All(rows, m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    private static int Count(SmtpTestServer smtp, string address) =>
        smtp.Messages.SelectMany(m => m.To.Mailboxes).Count(a => a.Address == address);
}
