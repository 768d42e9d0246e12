using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Web.Infrastructure.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// What each kind of outbox message does when it is delivered. Runs in its own scope, after the
/// change that wrote the message has committed. Decisions that must not leak into the request
/// (does this address have an account?) are made here.
/// </summary>
internal sealed class OutboxHandlers(
    CiertoDbContext db,
    UserManager<CiertoUser> users,
    WorkerService workers,
    UsageHistory history,
    MailTemplates templates,
    IMailSender mail,
    Microsoft.Extensions.Options.IOptions<Cierto.Domain.Billing.BillingSettings> billing,
    TimeProvider time)
{
    /// <summary>
    /// Handles one message. A message meant for several people adds one follow-up per recipient to
    /// <paramref name="followUps"/> instead of mailing them all here, so one failing address
    /// cannot make the others be mailed again.
    /// </summary>
    public Task HandleAsync(OutboxMessage message, ICollection<OutboxMessage> followUps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Registry.TryGetValue(message.Kind, out var handler)
            ? handler.Run(this, message, followUps, cancellationToken)
            : throw new InvalidOperationException($"No handler for outbox messages of kind '{message.Kind}'.");
    }

    /// <summary>One handler per message type, keyed by the type's kind (what the row stores).</summary>
    private static readonly FrozenDictionary<string, Handler> Registry = new[]
    {
        On<PasswordResetRequested>((h, m, _, ct) => h.PasswordResetAsync(m, ct)),
        On<EmailConfirmationRequested>((h, m, _, ct) => h.ConfirmEmailAsync(m, ct)),
        On<SetPasswordInvitation>((h, m, _, ct) => h.SetPasswordAsync(m, ct)),
        On<JoinRequested>((h, m, _, ct) => h.CompleteJoinAsync(m, ct)),
        On<JoinCodeNotFound>((h, m, _, ct) => h.JoinCodeNotFoundAsync(m, ct)),
        On<WorkerAwaitingApproval>((h, m, followUps, ct) => h.AwaitingApprovalAsync(m, followUps, ct)),
        On<WorkerDecided>((h, m, _, ct) => h.WorkerDecidedAsync(m, ct)),
        On<CompanyRegistered>((h, m, _, ct) => h.CompanyRegisteredAsync(m, ct)),
        On<InviteCodeIssued>((h, m, _, ct) => h.InviteCodeIssuedAsync(m, ct)),
        On<OrderPlaced>((h, m, _, ct) => h.OrderPlacedAsync(m, ct)),
        On<LongUseSummary>((h, m, followUps, ct) => h.LongUseAsync(m, followUps, ct)),
        On<EquipmentForceReleased>((h, m, _, ct) => h.ForceReleasedAsync(m, ct)),
        On<BookingNotice>((h, m, followUps, ct) => h.BookingNoticeAsync(m, followUps, ct)),
    }.ToFrozenDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>The message kinds this instance can deliver (a test checks every payload type is among them).</summary>
    public static IReadOnlyCollection<string> Kinds => Registry.Keys;

    private sealed record Handler(string Kind, Func<OutboxHandlers, OutboxMessage, ICollection<OutboxMessage>, CancellationToken, Task> Run);

    private static Handler On<T>(Func<OutboxHandlers, T, ICollection<OutboxMessage>, CancellationToken, Task> handle)
        where T : IOutboxPayload =>
        new(T.Kind, (handlers, message, followUps, cancellationToken) => handle(handlers, OutboxWriter.Read<T>(message), followUps, cancellationToken));

    /// <summary>A join whose password hash expired (it failed for good a day ago) makes no account: the person joins again.</summary>
    private async Task CompleteJoinAsync(JoinRequested request, CancellationToken cancellationToken)
    {
        if (request.PasswordHash != OutboxWriter.Redacted)
        {
            await workers.CompleteJoinAsync(request, cancellationToken);
        }
    }

    private Task JoinCodeNotFoundAsync(JoinCodeNotFound notFound, CancellationToken cancellationToken) =>
        SendAsync(notFound.Language, () => templates.JoinCodeNotFound(notFound.Email, notFound.DisplayName, templates.Link("join")), cancellationToken);

    private async Task WorkerDecidedAsync(WorkerDecided decided, CancellationToken cancellationToken)
    {
        var company = await CompanyNameAsync(decided.CompanyId, cancellationToken);
        await SendAsync(decided.Language, () => templates.WorkerDecided(decided.Email, decided.DisplayName, company ?? Texts.Get("your company"), decided.Approved, templates.Link("Account/Login")), cancellationToken);
    }

    private async Task CompanyRegisteredAsync(CompanyRegistered registered, CancellationToken cancellationToken)
    {
        var admin = await users.FindByIdAsync(registered.AdminId.ToString());
        var company = await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == registered.CompanyId, cancellationToken);
        if (admin?.Email is not null && company is not null)
        {
            await SendAsync(admin.Language, () => templates.CompanyRegistered(admin.Email, admin.DisplayName, company.Name, company.JoinCode, templates.Link("admin/workers")), cancellationToken);
        }
    }

    private Task InviteCodeIssuedAsync(InviteCodeIssued issued, CancellationToken cancellationToken) =>
        SendAsync(issued.Language, () => templates.InviteCodeIssued(issued.Email, issued.Code, issued.IdentificationNumber, issued.ExpiresAt, templates.Link($"register-company?code={Uri.EscapeDataString(issued.Code)}")), cancellationToken);

    private async Task OrderPlacedAsync(OrderPlaced placed, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == placed.OrderId, cancellationToken);
        if (order is null)
        {
            return;
        }

        var link = templates.OrderPage(order.Reference, placed.Secret);
        var bank = order.PaymentMethod == Cierto.Domain.Billing.PaymentMethod.BankTransfer;
        await SendAsync(order.Language, () => templates.OrderPlaced(order.ContactEmail, order.Reference, order.PlanName, Cierto.Domain.Billing.Money.Format(order.AmountMinor, order.Currency), bank, billing.Value.Seller.BankAccount(), link), cancellationToken);
    }

    private async Task PasswordResetAsync(PasswordResetRequested request, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(request.Email);
        if (user?.Email is null || user.Status is UserStatus.Disabled)
        {
            return; // nothing to send; the requester was told the same either way
        }

        var link = await ResetLinkAsync(user);
        await SendAsync(user.Language, () => templates.ResetPassword(user.Email, user.DisplayName, link), cancellationToken);
    }

    private async Task SetPasswordAsync(SetPasswordInvitation invitation, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(invitation.UserId.ToString());
        if (user?.Email is null)
        {
            return;
        }

        var company = user.CompanyId is { } id ? await CompanyNameAsync(id, cancellationToken) : "Cierto";
        var link = await ResetLinkAsync(user);
        await SendAsync(user.Language, () => templates.SetPassword(user.Email, user.DisplayName, company ?? Texts.Get("your company"), link), cancellationToken);
    }

    private async Task ConfirmEmailAsync(EmailConfirmationRequested request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user?.Email is null || user.EmailConfirmed)
        {
            return;
        }

        var token = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = templates.Link($"Account/ConfirmEmail?userId={user.Id}&code={token}");
        await SendAsync(user.Language, () => templates.ConfirmEmail(user.Email, user.DisplayName, link), cancellationToken);
    }

    private async Task AwaitingApprovalAsync(WorkerAwaitingApproval request, ICollection<OutboxMessage> followUps, CancellationToken cancellationToken)
    {
        var worker = await users.FindByIdAsync(request.WorkerId.ToString());
        if (worker is null || worker.Status != UserStatus.Pending)
        {
            return;
        }

        if (request.AdminId is null)
        {
            foreach (var admin in await AdminsAsync(request.CompanyId, cancellationToken))
            {
                followUps.Add(OutboxWriter.Create(request with { AdminId = admin.Id }, time.GetUtcNow()));
            }

            return;
        }

        if (await AdminAsync(request.CompanyId, request.AdminId.Value, cancellationToken) is { } recipient)
        {
            // The requester chose the display name (length-limited, HTML-encoded by the template); nothing else of theirs is in this mail.
            await SendAsync(recipient.Language, () => templates.WorkerAwaitingApproval(recipient.Email, recipient.DisplayName, worker.DisplayName, templates.Link("admin/workers")), cancellationToken);
        }
    }

    private async Task LongUseAsync(LongUseSummary summary, ICollection<OutboxMessage> followUps, CancellationToken cancellationToken)
    {
        if (summary.AdminId is null)
        {
            foreach (var admin in await AdminsAsync(summary.CompanyId, cancellationToken))
            {
                followUps.Add(OutboxWriter.Create(summary with { AdminId = admin.Id }, time.GetUtcNow()));
            }

            return;
        }

        var held = await history.HeldSinceBeforeAsync(summary.CompanyId, time.GetUtcNow().AddHours(-summary.ThresholdHours), 200, cancellationToken);
        if (held.Count == 0 || await AdminAsync(summary.CompanyId, summary.AdminId.Value, cancellationToken) is not { } recipient)
        {
            return;
        }

        // Times as the admin reads them everywhere else: on the company's clock, in their language.
        var zone = CompanyTime.Zone(await db.Companies.Where(c => c.Id == summary.CompanyId).Select(c => c.TimeZone).SingleOrDefaultAsync(cancellationToken));
        await SendAsync(recipient.Language, () =>
        {
            var lines = held.Select(h => Texts.Format(
                "{0}: {1}, since {2}",
                h.InventoryNumber is null ? h.EquipmentName : $"{h.EquipmentName} ({h.InventoryNumber})",
                h.WorkerName,
                CompanyTime.ToLocal(zone, h.StartedAt).ToString("g", CultureInfo.CurrentCulture))).ToList();
            return templates.LongUseSummary(recipient.Email, recipient.DisplayName, summary.ThresholdHours, lines, templates.Link("dashboard"));
        }, cancellationToken);
    }

    private sealed record Admin(Guid Id, string Email, string DisplayName, string? Language);

    private async Task<List<Admin>> AdminsAsync(Guid companyId, CancellationToken cancellationToken) =>
        await db.ActiveAdminsOf(companyId).AsNoTracking().Select(u => new Admin(u.Id, u.Email!, u.DisplayName, u.Language)).ToListAsync(cancellationToken);

    /// <summary>The recipient, if still an active admin of the company when the mail goes out.</summary>
    private async Task<Admin?> AdminAsync(Guid companyId, Guid adminId, CancellationToken cancellationToken) =>
        await db.ActiveAdminsOf(companyId).AsNoTracking().Where(u => u.Id == adminId).Select(u => new Admin(u.Id, u.Email!, u.DisplayName, u.Language)).SingleOrDefaultAsync(cancellationToken);

    private async Task ForceReleasedAsync(EquipmentForceReleased released, CancellationToken cancellationToken)
    {
        var details = await history.ReleaseNoticeAsync(released.SessionId, cancellationToken);
        if (details?.Email is not null)
        {
            await SendAsync(details.Language, () => templates.EquipmentForceReleased(details.Email, details.DisplayName, details.EquipmentName, details.Reason ?? string.Empty, templates.Link("my-equipment")), cancellationToken);
        }
    }

    /// <summary>
    /// A booking notice fans out to its people (the holder; both people for a blocked booking; the
    /// admins when escalated); each then checks that it still applies when it goes out — a booking
    /// cancelled or moved, an item returned meanwhile, is not mailed about.
    /// </summary>
    private async Task BookingNoticeAsync(BookingNotice notice, ICollection<OutboxMessage> followUps, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().Where(b => b.Id == notice.BookingId)
            .Select(b => new
            {
                b.CompanyId,
                b.WorkerId,
                b.StartsAt,
                b.EndsAt,
                Item = db.Equipment.Where(e => e.Id == b.EquipmentId).Select(e => e.Name).First(),
                Holder = db.UsageSessions.Where(s => s.EquipmentId == b.EquipmentId && s.EndedAt == null).Select(s => (Guid?)s.WorkerId).FirstOrDefault(),
                Zone = db.Companies.Where(c => c.Id == b.CompanyId).Select(c => c.TimeZone).First(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stillApplies = booking is not null && notice.Notice switch
        {
            BookingNoticeKind.Reminder => booking.StartsAt == notice.At && booking.StartsAt > now,
            BookingNoticeKind.Overdue or BookingNoticeKind.OverdueEscalated => booking.EndsAt == notice.At && booking.Holder == booking.WorkerId,
            _ => booking.StartsAt == notice.At && booking.EndsAt > now && booking.Holder is { } holder && holder != booking.WorkerId,
        };
        if (!stillApplies)
        {
            return;
        }

        if (notice.RecipientId is not { } recipientId)
        {
            IEnumerable<Guid> recipients = notice.Notice switch
            {
                BookingNoticeKind.OverdueEscalated => (await AdminsAsync(booking!.CompanyId, cancellationToken)).Select(a => a.Id),
                BookingNoticeKind.Blocked => [booking!.WorkerId, booking.Holder!.Value],
                _ => [booking!.WorkerId],
            };
            foreach (var recipient in recipients)
            {
                followUps.Add(OutboxWriter.Create(notice with { RecipientId = recipient }, now));
            }

            return;
        }

        var person = await db.Users.AsNoTracking().Where(u => u.Id == recipientId && u.CompanyId == booking!.CompanyId && u.Status == UserStatus.Active)
            .Select(u => new { u.Email, u.DisplayName, u.Language }).SingleOrDefaultAsync(cancellationToken);
        if (person?.Email is null)
        {
            return;
        }

        var worker = notice.Notice == BookingNoticeKind.OverdueEscalated
            ? await db.Users.AsNoTracking().Where(u => u.Id == booking!.WorkerId).Select(u => u.DisplayName).SingleAsync(cancellationToken)
            : null;
        var zone = CompanyTime.Zone(booking!.Zone);
        await SendAsync(person.Language, () =>
        {
            string When(DateTimeOffset at) => CompanyTime.Describe(zone, at, now);
            return notice.Notice switch
            {
                BookingNoticeKind.Reminder => templates.BookingReminder(person.Email, person.DisplayName, booking.Item, When(booking.StartsAt), When(booking.EndsAt), templates.Link("bookings")),
                BookingNoticeKind.Overdue => templates.BookingOverdue(person.Email, person.DisplayName, booking.Item, When(booking.EndsAt), templates.Link("my-equipment")),
                BookingNoticeKind.OverdueEscalated => templates.BookingOverdueToAdmin(person.Email, person.DisplayName, worker!, booking.Item, When(booking.EndsAt), templates.Link("dashboard")),
                _ when recipientId == booking.WorkerId => templates.BookingBlockedToBooker(person.Email, person.DisplayName, booking.Item, When(booking.StartsAt), templates.Link("bookings")),
                _ => templates.BookingBlockedToHolder(person.Email, person.DisplayName, booking.Item, When(booking.StartsAt), templates.Link("my-equipment")),
            };
        }, cancellationToken);
    }

    private async Task<string> ResetLinkAsync(CiertoUser user)
    {
        var token = Encode(await users.GeneratePasswordResetTokenAsync(user));
        return templates.Link($"Account/ResetPassword?code={token}&email={Uri.EscapeDataString(user.Email!)}");
    }

    private async Task<string?> CompanyNameAsync(Guid companyId, CancellationToken cancellationToken) =>
        await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Writes the message in the recipient's language (English when unknown), then sends it.</summary>
    private Task SendAsync(string? language, Func<MimeMessage> write, CancellationToken cancellationToken) =>
        mail.SendAsync(Languages.In(language, write), cancellationToken);

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
}
