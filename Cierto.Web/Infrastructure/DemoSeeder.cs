using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Development only: a demo company with equipment and one account per role, so a fresh
/// <c>dotnet run</c> has something to click. The logins are printed at every start.
/// </summary>
internal sealed partial class DemoSeeder(
    CiertoDbContext db,
    UserManager<CiertoUser> users,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DemoSeeder> logger)
{
    public const string CompanyIdentificationNumber = "DEMO-0001";
    public const string Password = "Demo-pass-2026";

    private static readonly (string Name, string Inventory, string Category)[] Items =
    [
        ("Hilti TE 30 hammer drill", "HD-001", "Power tools"),
        ("Makita DHP484 cordless drill", "CD-002", "Power tools"),
        ("Bosch GWS 18V angle grinder", "AG-003", "Power tools"),
        ("Festool TS 55 plunge saw", "PS-004", "Power tools"),
        ("Leica Rugby 620 rotating laser", "LS-005", "Measuring"),
        ("Bosch GLM 50 laser measure", "LM-006", "Measuring"),
        ("Wacker Neuson BS 60 rammer", "CM-007", "Compaction"),
        ("Honda EU22i generator", "GN-008", "Power"),
        ("Kärcher HD 5/15 pressure washer", "PW-009", "Cleaning"),
        ("Zarges 3x9 aluminium ladder", "LD-010", "Access"),
        ("Layher scaffold tower", "SC-011", "Access"),
        ("Stihl TS 420 cut-off saw", "CS-012", "Power tools"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var company = await db.Companies.SingleOrDefaultAsync(c => c.IdentificationNumber == Company.NormalizeIdentificationNumber(CompanyIdentificationNumber), cancellationToken);
        if (company is null)
        {
            company = new Company("Demo Builders Ltd", CompanyIdentificationNumber, now);
            db.Companies.Add(company);
            foreach (var (name, inventory, category) in Items)
            {
                db.Equipment.Add(new EquipmentItem(company.Id, name, inventory, category, null, now));
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        var logins = new List<(string Role, string Email)>();
        if (string.IsNullOrWhiteSpace(configuration[DatabaseInitializer.RootEmailKey]))
        {
            logins.Add((Roles.Root, (await EnsureUserAsync("root@cierto.test", "Rita Root", Roles.Root, null)).Email!));
        }

        logins.Add((Roles.Support, (await EnsureUserAsync("support@cierto.test", "Sam Support", Roles.Support, null)).Email!));
        logins.Add((Roles.CompanyAdmin, (await EnsureUserAsync("admin@demo.cierto.test", "Ada Admin", Roles.CompanyAdmin, company.Id)).Email!));
        var worker = await EnsureUserAsync("worker@demo.cierto.test", "Will Worker", Roles.Worker, company.Id);
        logins.Add((Roles.Worker, worker.Email!));
        var worker2 = await EnsureUserAsync("worker2@demo.cierto.test", "Wanda Worker", Roles.Worker, company.Id);
        logins.Add((Roles.Worker, worker2.Email!));

        if (!await db.UsageSessions.AnyAsync(s => s.CompanyId == company.Id, cancellationToken))
        {
            var drill = await db.Equipment.FirstAsync(e => e.CompanyId == company.Id && e.InventoryNumber == "CD-002", cancellationToken);
            db.UsageSessions.Add(new UsageSession(company.Id, drill.Id, worker.Id, now.AddMinutes(-42)));
            await db.SaveChangesAsync(cancellationToken);
        }

        if (!await db.Bookings.AnyAsync(b => b.CompanyId == company.Id, cancellationToken))
        {
            // Wanda has the rotating laser tomorrow morning: the free list, the calendar and activation show it.
            var laser = await db.Equipment.FirstAsync(e => e.CompanyId == company.Id && e.InventoryNumber == "LS-005", cancellationToken);
            var tomorrow = CompanyTime.DayStart(CompanyTime.Zone(company.TimeZone), now).AddDays(1);
            db.Bookings.Add(new Booking(company.Id, laser.Id, worker2.Id, tomorrow.AddHours(7), tomorrow.AddHours(12), "Foundations, plot 4", worker2.Id, now));
            await db.SaveChangesAsync(cancellationToken);
        }

        LogDemo(logger, company.Name, company.JoinCode, string.Join(Environment.NewLine, logins.Select(l => $"      {l.Role,-13} {l.Email}")), Password);
    }

    private async Task<CiertoUser> EnsureUserAsync(string email, string displayName, string role, Guid? companyId)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            return user;
        }

        user = new CiertoUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CompanyId = companyId,
            Status = UserStatus.Active,
            CreatedAt = time.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }

        await users.AddToRoleAsync(user, role);
        return user;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development demo data is on ({CompanyName}, join code {JoinCode}). Sign in with:\n{Logins}\n      password for all: {Password}")]
    private static partial void LogDemo(ILogger logger, string companyName, string joinCode, string logins, string password);
}
