using Microsoft.AspNetCore.Identity;

namespace Cierto.Domain.Users;

public enum UserStatus
{
    Pending = 0,
    Active = 1,
    Disabled = 2,
}

public sealed class CiertoUser : IdentityUser<Guid>
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The tenant; null for Root and Support, who belong to the whole site.</summary>
    public Guid? CompanyId { get; set; }

    public UserStatus Status { get; set; } = UserStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The language the person reads Cierto and its mail in ("en", "ru"); chosen with the switcher, first set from the language they signed up in.</summary>
    public string? Language { get; set; }

    /// <summary>SHA-256 (hex) of the secret in the person's calendar feed address; null when they have none (or revoked it).</summary>
    public string? CalendarFeedHash { get; set; }
}
