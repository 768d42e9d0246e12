using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Bookings;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Cierto.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Companies;

public sealed record CompanyRow(Guid Id, string Name, string IdentificationNumber, CompanyStatus Status, DateTimeOffset CreatedAt, int Members);

public sealed record CompanyDetails(
    Guid Id,
    string Name,
    string IdentificationNumber,
    CompanyStatus Status,
    JoinPolicy JoinPolicy,
    string? JoinCode,
    int? MaxActiveItemsPerWorker,
    DateTimeOffset CreatedAt,
    string TimeZone,
    int Admins,
    int ActiveWorkers,
    int PendingWorkers,
    int EquipmentItems);

/// <summary>Reading companies (staff: any; members: their own) and an admin's company settings.</summary>
public sealed class CompanyService(CiertoDbContext db, Accounts.SignInSessionService signIns, TimeProvider time)
{
    public async Task<Paged<CompanyRow>> ListAsync(Actor actor, PageRequest page, string? search = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        actor.RequireStaff();
        var query = db.Companies.AsNoTracking();
        if (Text.SearchTerm(search) is { } term)
        {
            var number = Company.NormalizeIdentificationNumber(term);
            var upper = term.ToUpperInvariant(); // names are found whatever their case, as in every other list
            query = query.Where(c => c.Name.ToUpper().Contains(upper) || c.IdentificationNumber.Contains(number));
        }

        return await query
            .OrderBy(c => c.Name)
            .Select(c => new CompanyRow(c.Id, c.Name, c.IdentificationNumber, c.Status, c.CreatedAt, db.Users.Count(u => u.CompanyId == c.Id)))
            .ToPagedAsync(page, cancellationToken);
    }

    /// <summary>A company the actor may read; any other id answers exactly like a missing one.</summary>
    public async Task<CompanyDetails> GetAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var id = actor.ReadableCompany(companyId);
        var admins = db.Admins();
        var details = await db.Companies.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new CompanyDetails(
                c.Id,
                c.Name,
                c.IdentificationNumber,
                c.Status,
                c.JoinPolicy,
                c.JoinCode,
                c.MaxActiveItemsPerWorker,
                c.CreatedAt,
                c.TimeZone,
                admins.Count(u => u.CompanyId == c.Id),
                db.Users.Count(u => u.CompanyId == c.Id && u.Status == UserStatus.Active),
                db.Users.Count(u => u.CompanyId == c.Id && u.Status == UserStatus.Pending),
                db.Equipment.Count(e => e.CompanyId == c.Id)))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Company");

        // Workers join with the code; only those who may hand it out see it.
        return actor.CanManage(id) || actor.IsStaff ? details : details with { JoinCode = null };
    }

    public async Task SetJoinPolicyAsync(Actor actor, JoinPolicy policy, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        var company = await ManagedAsync(actor, companyId, cancellationToken);
        company.SetJoinPolicy(policy);
        await SaveAsync(actor, company, "company.join-policy-changed", policy.ToString(), cancellationToken);
    }

    public async Task<string> RotateJoinCodeAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        var company = await ManagedAsync(actor, companyId, cancellationToken);
        company.RotateJoinCode();
        await SaveAsync(actor, company, "company.join-code-rotated", null, cancellationToken);
        return company.JoinCode;
    }

    public async Task SetActiveItemCapAsync(Actor actor, int? cap, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        var company = await ManagedAsync(actor, companyId, cancellationToken);
        company.SetActiveItemCap(cap);
        await SaveAsync(actor, company, "company.item-cap-changed", cap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", cancellationToken);
    }

    public async Task<BookingRules> BookingRulesAsync(Actor actor, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var id = actor.ReadableCompany(companyId);
        return await db.Companies.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new BookingRules(c.WorkersMayBook, c.MaxBookingHours, c.BookingHorizonDays, c.BookingGraceMinutes, c.BookingReminderMinutes))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Company");
    }

    public async Task SetBookingRulesAsync(Actor actor, BookingRules rules, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var company = await ManagedAsync(actor, companyId, cancellationToken);
        company.SetBookingRules(rules);
        await SaveAsync(actor, company, "company.booking-rules-changed", rules.ToString(), cancellationToken);
    }

    public async Task SetTimeZoneAsync(Actor actor, string? timeZone, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        var company = await ManagedAsync(actor, companyId, cancellationToken);
        company.SetTimeZone(timeZone);
        await SaveAsync(actor, company, "company.time-zone-changed", timeZone, cancellationToken);
    }

    /// <summary>
    /// Root suspends a company (unpaid, misused): its members cannot sign in, their browsers and
    /// open pages are signed out at once, their API sessions end at the next check (each gets a new
    /// security stamp), and its join code stops
    /// working. Nothing is deleted; <see cref="ReactivateAsync"/> lets them back in. Suspending a
    /// suspended company changes nothing.
    /// </summary>
    public async Task SuspendAsync(Actor actor, Guid companyId, CancellationToken cancellationToken = default)
    {
        var company = await RootsAsync(actor, companyId, cancellationToken);
        if (company.Status == CompanyStatus.Suspended)
        {
            return;
        }

        company.Suspend();
        foreach (var member in await db.Users.Where(u => u.CompanyId == companyId).ToListAsync(cancellationToken))
        {
            member.SecurityStamp = AccountRules.NewSecurityStamp();
        }

        await SaveAsync(actor, company, "company.suspended", null, cancellationToken);
        await signIns.RevokeCompanyAsync(companyId, "company-suspended", cancellationToken);
    }

    /// <summary>Root lets a suspended company's members sign in again; an active company stays as it is.</summary>
    public async Task ReactivateAsync(Actor actor, Guid companyId, CancellationToken cancellationToken = default)
    {
        var company = await RootsAsync(actor, companyId, cancellationToken);
        if (company.Status == CompanyStatus.Active)
        {
            return;
        }

        company.Reactivate();
        await SaveAsync(actor, company, "company.reactivated", null, cancellationToken);
    }

    /// <summary>For the join page: the name behind a join code, or null. Never says more.</summary>
    public async Task<string?> FindNameByJoinCodeAsync(string? joinCode, CancellationToken cancellationToken = default)
    {
        var code = Codes.Normalize(joinCode);
        if (code.Length is 0 or > 16)
        {
            return null;
        }

        return await db.Companies.AsNoTracking()
            .Where(c => c.JoinCode == code && c.Status == CompanyStatus.Active)
            .Select(c => c.Name)
            .SingleOrDefaultAsync(cancellationToken);
    }

    private async Task<Company> ManagedAsync(Actor actor, Guid? companyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var id = actor.ManagedCompany(companyId);
        return await db.Companies.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException("Company");
    }

    private async Task<Company> RootsAsync(Actor actor, Guid companyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireRoot();
        return await db.Companies.SingleOrDefaultAsync(c => c.Id == companyId, cancellationToken) ?? throw new NotFoundException("Company");
    }

    private async Task SaveAsync(Actor actor, Company company, string action, string? details, CancellationToken cancellationToken)
    {
        db.Record(time.GetUtcNow(), actor, company.Id, action, nameof(Company), company.Id, details);
        await db.SaveChangesAsync(cancellationToken);
    }
}
