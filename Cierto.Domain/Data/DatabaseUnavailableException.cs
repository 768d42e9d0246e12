using Cierto.Domain.Common;
using Cierto.Domain.Localization;

namespace Cierto.Domain.Data;

/// <summary>
/// The database (or Redis, where Cierto cannot do without it) could not be reached: nothing was
/// changed and the same request may be sent again in a moment. API code <c>service_unavailable</c> (503).
/// </summary>
public sealed class DatabaseUnavailableException(Exception? inner = null)
    : DomainException(ErrorCode, UserMessage, inner)
{
    public const string ErrorCode = "service_unavailable";

    /// <summary>What the person is told, in their language.</summary>
    public static string UserMessage => Texts.Get("Cierto cannot reach its database right now. Nothing was changed — try again in a moment.");

    /// <summary>How long a client should wait before asking again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
}
