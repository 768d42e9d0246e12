using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using FluentValidation;

namespace Cierto.Domain.Accounts;

/// <summary>
/// Forgot-password. The request only writes one outbox row, the same for every address; the
/// outbox handler looks the address up later and sends mail only if an account exists. So
/// neither the answer nor the work done on the request path tells who is registered.
/// </summary>
public sealed class AccountRecovery(CiertoDbContext db, IValidator<PasswordResetRequest> rules, TimeProvider time)
{
    public async Task RequestPasswordResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        rules.ThrowIfInvalid(new PasswordResetRequest(email));
        db.Enqueue(new PasswordResetRequested(email!.Trim()), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }
}
