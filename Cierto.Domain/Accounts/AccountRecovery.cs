using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;

namespace Cierto.Domain.Accounts;

/// <summary>
/// Forgot-password. The request only writes one outbox row, the same for every address; the
/// outbox handler looks the address up later and sends mail only if an account exists. So
/// neither the answer nor the work done on the request path tells who is registered.
/// </summary>
public sealed class AccountRecovery(CiertoDbContext db, TimeProvider time)
{
    public async Task RequestPasswordResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        var validator = new Validator();
        var address = validator.Email("Email", email);
        validator.ThrowIfInvalid();
        db.Enqueue(new PasswordResetRequested(address), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }
}
