namespace Cierto.Domain.Outbox;

/// <summary>Someone asked to reset the password of this address; the handler decides whether an account exists.</summary>
public sealed record PasswordResetRequested(string Email) : IOutboxPayload
{
    public static string Kind => "account.password-reset-requested";
}

/// <summary>A new account should confirm its address.</summary>
public sealed record EmailConfirmationRequested(Guid UserId) : IOutboxPayload
{
    public static string Kind => "account.confirm-email";
}

/// <summary>An account created for someone else (a company's first admin) needs its owner to set a password.</summary>
public sealed record SetPasswordInvitation(Guid UserId) : IOutboxPayload
{
    public static string Kind => "account.set-password";
}

/// <summary>
/// A worker asked to join. The join code is looked up and the account created by the handler, so
/// the request itself does the same work whatever the code and the address. The password is
/// already hashed; the hash leaves the row once it is handled. (Rows written before join codes
/// were looked up late carry the company instead of the code.)
/// </summary>
public sealed record JoinRequested(Guid? CompanyId, string Email, string DisplayName, string PasswordHash, string? JoinCode = null, string? Language = null) : IOutboxPayload
{
    public static string Kind => "workers.join-requested";
}

/// <summary>Someone asked to join with a join code no active company has; they are told by mail.</summary>
public sealed record JoinCodeNotFound(string Email, string DisplayName, string JoinCode, string? Language = null) : IOutboxPayload
{
    public static string Kind => "workers.join-code-not-found";
}

/// <summary>A worker waits for approval. Without a recipient, the handler fans out one message per active admin.</summary>
public sealed record WorkerAwaitingApproval(Guid CompanyId, Guid WorkerId, Guid? AdminId = null) : IOutboxPayload
{
    public static string Kind => "workers.awaiting-approval";
}

public sealed record WorkerDecided(Guid CompanyId, string Email, string DisplayName, bool Approved, string? Language = null) : IOutboxPayload
{
    public static string Kind => "workers.decided";
}

public sealed record CompanyRegistered(Guid CompanyId, Guid AdminId) : IOutboxPayload
{
    public static string Kind => "companies.registered";
}

/// <summary>An order was placed: the buyer gets its link (with the secret) and, for a bank transfer, the invoice.</summary>
public sealed record OrderPlaced(Guid OrderId, string Secret) : IOutboxPayload
{
    public static string Kind => "billing.order-placed";
}

/// <summary>The code goes to someone who has no account yet: the mail is written in <see cref="Language"/> (the buyer's, or the issuing staff member's).</summary>
public sealed record InviteCodeIssued(Guid InviteCodeId, string Email, string Code, string IdentificationNumber, DateTimeOffset ExpiresAt, string? Language = null) : IOutboxPayload
{
    public static string Kind => "invite-codes.issued";
}

/// <summary>An admin ended a worker's use of an item; the worker is told why.</summary>
public sealed record EquipmentForceReleased(Guid SessionId) : IOutboxPayload
{
    public static string Kind => "usage.force-released";
}

/// <summary>
/// Once a day per company: the items held longer than the threshold. Without a recipient, the
/// handler fans out one message per active admin.
/// </summary>
public sealed record LongUseSummary(Guid CompanyId, DateOnly Day, int ThresholdHours, Guid? AdminId = null) : IOutboxPayload
{
    public static string Kind => "usage.long-use-summary";

    /// <summary>The same for every instance and every run of that day, so the primary key lets one row in.</summary>
    public Guid MessageId => new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Kind}:{CompanyId:N}:{Day:yyyy-MM-dd}"))[..16]);
}

/// <summary>What a booking notice is about; with the booking it makes the message's id, so it is written once.</summary>
public enum BookingNoticeKind
{
    /// <summary>The booking starts soon (the company's reminder lead time).</summary>
    Reminder,

    /// <summary>The booking is over and its holder still has the item: to the holder.</summary>
    Overdue,

    /// <summary>Still overdue a while later: to the company's admins.</summary>
    OverdueEscalated,

    /// <summary>The booking has started and someone else still holds the item: to both, and the admins see it on the dashboard.</summary>
    Blocked,
}

/// <summary>
/// A mail about a booking. The id comes from booking, kind and the booking's time (a booking moved
/// later is reminded again), so however many instances find it, and however often, one row gets in.
/// Without a recipient, a notice meant for several people fans out one message per person.
/// </summary>
public sealed record BookingNotice(Guid BookingId, BookingNoticeKind Notice, DateTimeOffset At, Guid? RecipientId = null) : IOutboxPayload
{
    public static string Kind => "bookings.notice";

    public Guid MessageId => new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Kind}:{BookingId:N}:{Notice}:{At.UtcTicks}"))[..16]);
}
