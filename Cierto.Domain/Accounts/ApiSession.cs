namespace Cierto.Domain.Accounts;

/// <summary>
/// One signed-in device of the mobile app: a family of refresh tokens, each used once. Revoking
/// the session (by its owner, on a password change, on logout, or when a used token comes back)
/// ends every token of the family.
/// </summary>
public sealed class ApiSession
{
    public const int DeviceNameMaxLength = 100;
    public const int ClientAddressMaxLength = 64;

    private ApiSession()
    {
    }

    public ApiSession(Guid userId, string? deviceName, string? clientAddress, string securityStamp, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        UserId = userId;
        DeviceName = Trim(deviceName, DeviceNameMaxLength) ?? "Unnamed device";
        LastClientAddress = Trim(clientAddress, ClientAddressMaxLength);
        SecurityStamp = securityStamp;
        CreatedAt = now;
        LastUsedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string DeviceName { get; private set; } = string.Empty;

    public string? LastClientAddress { get; private set; }

    /// <summary>The user's security stamp when signing in: a new stamp (password change, logout, disabling) ends the session.</summary>
    public string SecurityStamp { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedReason { get; private set; }

    public bool IsActive => RevokedAt is null;

    public void Used(string? clientAddress, DateTimeOffset now)
    {
        LastUsedAt = now;
        LastClientAddress = Trim(clientAddress, ClientAddressMaxLength) ?? LastClientAddress;
    }

    public void Revoke(string reason, DateTimeOffset now)
    {
        RevokedAt ??= now;
        RevokedReason ??= reason;
    }

    private static string? Trim(string? value, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || !Common.Text.IsClean(text))
        {
            return null;
        }

        return text.Length <= max ? text : text[..max];
    }
}
