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
        // Scoped: the password rules ask the scope's UserManager for Identity's policy.
        services.AddValidatorsFromAssemblyContaining<EquipmentInputValidator>(ServiceLifetime.Scoped);
        services.AddScoped<InviteCodeService>();
        services.AddScoped<CompanyRegistrationService>();
        services.AddScoped<CompanyService>();
        services.AddScoped<WorkerService>();
        services.AddScoped<StaffService>();
        services.AddScoped<AccountRecovery>();
        services.AddScoped<ApiSessionService>();
        services.AddScoped<UsageService>();
        services.AddScoped<UsageHistory>();
        services.AddScoped<EquipmentService>();
        services.AddScoped<EquipmentCsv>();
        services.AddScoped<DashboardSnapshots>();
        services.AddSingleton<Data.DatabaseOutages>();
        services.AddSingleton<DashboardFeed>();
        services.AddScoped<OutboxService>();
        services.AddScoped<Billing.OrderService>();
        return services;
    }
}
