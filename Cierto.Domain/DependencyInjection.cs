using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Live;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Domain;

public static class DependencyInjection
{
    /// <summary>The domain services: scoped, each working on the scope's <see cref="Data.CiertoDbContext"/>.</summary>
    public static IServiceCollection AddCiertoDomain(this IServiceCollection services)
    {
        // Validators hold nothing per request (their messages are made when they fail, in the
        // request's language), so those that need nothing are built once: building one costs more
        // than a validation. The rest are scoped (the password rules ask the scope's UserManager).
        services.AddValidatorsFromAssemblyContaining<EquipmentInputValidator>(ServiceLifetime.Singleton, r => NeedsNothing(r.ValidatorType));
        services.AddValidatorsFromAssemblyContaining<EquipmentInputValidator>(ServiceLifetime.Scoped, r => !NeedsNothing(r.ValidatorType));
        services.AddScoped<InviteCodeService>();
        services.AddScoped<CompanyRegistrationService>();
        services.AddScoped<CompanyService>();
        services.AddScoped<WorkerService>();
        services.AddScoped<StaffService>();
        services.AddScoped<AccountRecovery>();
        services.AddScoped<ApiSessionService>();
        services.AddScoped<SignInSessionService>();
        services.AddSingleton<SignInSessionWatch>();
        services.AddScoped<UsageService>();
        services.AddScoped<Bookings.BookingService>();
        services.AddScoped<Bookings.CalendarFeeds>();
        services.AddScoped<Bookings.BookingNotices>();
        services.AddScoped<StockTakes.StockTakeService>();
        services.AddScoped<UsageHistory>();
        services.AddScoped<EquipmentService>();
        services.AddScoped<EquipmentCsv>();
        services.AddScoped<DashboardSnapshots>();
        services.AddSingleton<Data.DatabaseOutages>();
        services.AddSingleton<Telemetry.UsageMetrics>();
        services.AddSingleton<DashboardFeed>();
        services.AddScoped<OutboxService>();
        services.AddScoped<Auditing.AuditService>();
        services.AddScoped<Billing.OrderService>();
        return services;
    }

    private static bool NeedsNothing(Type validator) => validator.GetConstructors().Any(c => c.GetParameters().Length == 0);
}
