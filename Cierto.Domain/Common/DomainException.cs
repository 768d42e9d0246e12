using Cierto.Domain.Localization;

namespace Cierto.Domain.Common;

/// <summary>
/// A rule of the domain was broken. <see cref="Code"/> is stable and machine readable (the API's
/// ProblemDetails <c>code</c>); the message is safe to show to the user who caused it, and is in
/// their language (<see cref="Texts"/>: written when thrown, in the request's language).
/// </summary>
public class DomainException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>
/// The thing asked for does not exist, or belongs to another tenant: the two answer identically.
/// <paramref name="what"/> is English ("Equipment"); the message is the whole sentence in the
/// reader's language (resource key "Equipment was not found.").
/// </summary>
public sealed class NotFoundException(string what) : DomainException("not_found", Texts.Get($"{what} was not found."));

/// <summary>The actor is known but may not do this. <paramref name="message"/> is a resource key (English).</summary>
public sealed class ForbiddenException(string message = "You are not allowed to do that.")
    : DomainException("forbidden", Texts.Get(message));
