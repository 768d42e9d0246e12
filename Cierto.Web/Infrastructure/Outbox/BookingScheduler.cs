using Cierto.Domain.Bookings;
using Cierto.Domain.Data;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// Looks for due booking notices every <c>Cierto:Bookings:ScanSeconds</c> (30) on every instance;
/// <see cref="BookingNotices"/> writes each once, whoever finds it first. Overdue items go to the
/// admins <c>Cierto:Bookings:EscalateAfterMinutes</c> (60) after they went to the holder.
/// </summary>
internal sealed partial class BookingScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, DatabaseOutages outages, ILogger<BookingScheduler> logger) : BackgroundService
{
    public const string Section = "Cierto:Bookings";

    private TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue($"{Section}:ScanSeconds", 30)));

    private TimeSpan EscalateAfter => TimeSpan.FromMinutes(Math.Max(0, configuration.GetValue($"{Section}:EscalateAfterMinutes", 60)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Never ends the loop: an outage is counted as such, anything else logged; the next round tries again.
                if (!outages.ReportIfTransient(ex, "background", "booking notices"))
                {
                    LogFailed(logger, ex);
                }
            }

            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BookingNotices>().ScanAsync(EscalateAfter, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not look for booking notices; trying again later.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
