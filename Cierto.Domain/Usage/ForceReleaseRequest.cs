using Cierto.Domain.Common.Validation;

namespace Cierto.Domain.Usage;

/// <summary>An admin ends someone's session; the reason is told to the worker.</summary>
public sealed record ForceReleaseRequest(string? Reason);

public sealed class ForceReleaseRequestValidator : CiertoValidator<ForceReleaseRequest>
{
    public ForceReleaseRequestValidator()
    {
        RuleFor(r => r.Reason).RequiredText("Reason", UsageSession.ReasonMaxLength);
    }
}
