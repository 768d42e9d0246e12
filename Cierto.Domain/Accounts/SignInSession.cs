namespace Cierto.Domain.Accounts;

/// <summary>
/// One sign-in of a browser (ASVS 3.3.1): its id rides in the sign-in cookie, and the cookie is
/// good only while this row says so. Sign-out, "sign out everywhere else", a password change or
/// reset, disabling the user and suspending their company revoke it; a revoked session stays revoked.
/// </summary>
public sealed class SignInSession
{
    public const int DeviceMaxLength = 100;
    public const int AddressMaxLength = 64;

    private SignInSession()
    {
    }

    public SignInSession(Guid userId, string? userAgent, string? address, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        UserId = userId;
        Device = DeviceNames.Of(userAgent);
        Address = Trim(address);
        StartedAt = now;
        LastSeenAt = now;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>What the browser says it is, in a few words ("Chrome on Android").</summary>
    public string Device { get; private set; } = string.Empty;

    /// <summary>The client address last seen (as the reverse proxy reports it).</summary>
    public string? Address { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When a request last came with this session, give or take <see cref="SignInSessionWatch"/>'s write interval.</summary>
    public DateTimeOffset LastSeenAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedReason { get; private set; }

    internal static string? Trim(string? address)
    {
        var text = address?.Trim();
        return string.IsNullOrEmpty(text) || !Common.Text.IsClean(text) ? null : text.Length <= AddressMaxLength ? text : text[..AddressMaxLength];
    }
}
