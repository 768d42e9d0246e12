using Cierto.Domain.Common.Validation;

namespace Cierto.Domain.Accounts;

/// <summary>"Forgot password": the address to send a reset link to, if an account has it.</summary>
public sealed record PasswordResetRequest(string? Email);

public sealed class PasswordResetRequestValidator : CiertoValidator<PasswordResetRequest>
{
    public PasswordResetRequestValidator()
    {
        RuleFor(r => r.Email).Email();
    }
}
