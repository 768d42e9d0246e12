using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Billing;
using Cierto.Domain.Bookings;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Data;

/// <summary>
/// The one model of Cierto. Each database provider has its own subclass (and its own
/// migrations), because the generated SQL differs; everything else takes this type.
/// </summary>
public abstract class CiertoDbContext(DbContextOptions options)
    : IdentityDbContext<CiertoUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection keys, shared by every instance (cookies, antiforgery).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<InviteCode> InviteCodes => Set<InviteCode>();

    public DbSet<EquipmentItem> Equipment => Set<EquipmentItem>();

    public DbSet<UsageSession> UsageSessions => Set<UsageSession>();

    public DbSet<Booking> Bookings => Set<Booking>();

    public DbSet<StockTakes.StockTake> StockTakes => Set<StockTakes.StockTake>();

    public DbSet<StockTakes.StockTakeScan> StockTakeScans => Set<StockTakes.StockTakeScan>();

    public DbSet<StockTakes.StockTakeLine> StockTakeLines => Set<StockTakes.StockTakeLine>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<ApiSession> ApiSessions => Set<ApiSession>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<ProcessedPaymentEvent> ProcessedPaymentEvents => Set<ProcessedPaymentEvent>();

    public abstract DatabaseProvider Provider { get; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ThrowIfAuditChanged();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ThrowIfAuditChanged();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The audit log is only ever added to: no code path may change or delete an entry.</summary>
    private void ThrowIfAuditChanged()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries are never changed or deleted.");
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CiertoDbContext).Assembly);
    }
}
