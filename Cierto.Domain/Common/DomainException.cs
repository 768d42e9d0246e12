namespace Cierto.Domain.Common;

/// <summary>
/// A rule of the domain was broken. <see cref="Code"/> is stable and machine readable (the API's
/// ProblemDetails <c>code</c>); the message is safe to show to the user who caused it.
/// </summary>
public class DomainException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>
/// The thing asked for does not exist, or belongs to another tenant: the two answer identically.
/// </summary>
public sealed class NotFoundException(string what) : DomainException("not_found", $"{what} was not found.");

/// <summary>The actor is known but may not do this.</summary>
public sealed class ForbiddenException(string message = "You are not allowed to do that.")
    : DomainException("forbidden", message);
