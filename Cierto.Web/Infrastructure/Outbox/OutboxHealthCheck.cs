using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cierto.Web.Infrastructure.Outbox;

/// <summary>
/// Readiness of the mail and background work: degraded (still ready: pages and the API work) when
/// the oldest undelivered message has waited longer than <c>Cierto:Outbox:BacklogWarningMinutes</c>
/// (10 by default), e.g. the SMTP server refuses or no instance runs the dispatcher.
/// </summary>
internal sealed class OutboxHealthCheck(OutboxBacklog backlog, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = await backlog.MeasureAsync(cancellationToken);
        var limit = TimeSpan.FromMinutes(configuration.GetValue("Cierto:Outbox:BacklogWarningMinutes", 10));
        var description = string.Create(CultureInfo.InvariantCulture, $"{state.Pending} pending (oldest {state.OldestPending.TotalSeconds:0} s), {state.Failed} failed");
        return state.OldestPending > limit ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description);
    }
}
