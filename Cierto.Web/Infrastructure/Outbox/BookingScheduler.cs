using Cierto.Domain.Bookings;
using Cierto.Domain.Data;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// Looks for due booking notices every <c>Cierto:Bookings:ScanSeconds</c> (30) on every instance;
/// <see cref="BookingNotices"/> writes each once, whoever finds it first. Overdue items go to the
/// admins <c>Cierto:Bookings:EscalateAfterMinutes</c> (60) after they went to the holder.
/// </summary>
internal sealed class BookingScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, DatabaseOutages outages, ILogger<BookingScheduler> logger)
    : PeriodicJob(time, outages, logger)
{
    public const string Section = "Cierto:Bookings";

    protected override string What => "booking notices";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue($"{Section}:ScanSeconds", 30)));

    private TimeSpan EscalateAfter => TimeSpan.FromMinutes(Math.Max(0, configuration.GetValue($"{Section}:EscalateAfterMinutes", 60)));

    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BookingNotices>().ScanAsync(EscalateAfter, cancellationToken);
    }

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => ScanAsync(cancellationToken);
}
