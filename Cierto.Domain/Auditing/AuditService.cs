using Cierto.Domain.Accounts;
using Cierto.Domain.Common;
using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Auditing;

/// <summary>What to show of the audit log: each part narrows it; dates are whole UTC days, both ends included.</summary>
public sealed record AuditQuery(Guid? CompanyId = null, string? User = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One audit entry as staff read it: who (name and address), in which company, did what to what.</summary>
public sealed record AuditRow(long Id, DateTimeOffset At, Guid? ActorId, string? ActorName, string? ActorEmail, Guid? CompanyId, string? CompanyName, string Action, string TargetType, string? TargetId, string? Details);

/// <summary>
/// Root's and Support's view of the audit log across companies. It only reads: entries are added
/// with the change they describe (<see cref="AuditLog.Record"/>) and the context refuses to change
/// or delete one (<see cref="CiertoDbContext"/>).
/// </summary>
public sealed class AuditService(CiertoDbContext db)
{
    /// <summary>The most rows one export holds (newest first); narrow the filter for older ones.</summary>
    public const int MaxExportRows = 100_000;

    public async Task<Paged<AuditRow>> ListAsync(Actor actor, AuditQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        actor.RequireStaff();
        return await Newest(Filter(query)).ToPagedAsync(page, Named, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRow>> ExportAsync(Actor actor, AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        actor.RequireStaff();
        return await Named(Newest(Filter(query)).Take(MaxExportRows)).ToListAsync(cancellationToken);
    }

    /// <summary>Every action the log holds, for the filter's list.</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireStaff();
        return await db.AuditEntries.AsNoTracking().Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
    }

    private IQueryable<AuditEntry> Filter(AuditQuery query)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (query.CompanyId is { } company)
        {
            entries = entries.Where(a => a.CompanyId == company);
        }

        if (Text.SearchTerm(query.User, "User") is { } user)
        {
            var pattern = Text.ContainsPattern(user.ToUpperInvariant());
            var people = db.Users.Where(u => EF.Functions.Like(u.NormalizedEmail!, pattern, Text.LikeEscape) || EF.Functions.Like(u.DisplayName.ToUpper(), pattern, Text.LikeEscape)).Select(u => (Guid?)u.Id);
            entries = entries.Where(a => people.Contains(a.ActorId));
        }

        if (Text.SearchTerm(query.Action, "Action") is { } action)
        {
            entries = entries.Where(a => a.Action == action);
        }

        if (query.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(a => a.At >= start);
        }

        if (query.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(a => a.At < end);
        }

        return entries;
    }

    private static IQueryable<AuditEntry> Newest(IQueryable<AuditEntry> entries) => entries.OrderByDescending(a => a.At).ThenByDescending(a => a.Id);

    /// <summary>The entries (already cut to a page) with the names people read, newest first.</summary>
    private IQueryable<AuditRow> Named(IQueryable<AuditEntry> entries) => entries
        .LeftJoin(db.Users, a => a.ActorId, u => (Guid?)u.Id, (a, u) => new { Entry = a, User = u })
        .LeftJoin(db.Companies, x => x.Entry.CompanyId, c => (Guid?)c.Id, (x, c) => new { x.Entry, x.User, Company = c })
        .OrderByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id)
        .Select(x => new AuditRow(
            x.Entry.Id, x.Entry.At, x.Entry.ActorId, x.User!.DisplayName, x.User.Email, x.Entry.CompanyId, x.Company!.Name, x.Entry.Action, x.Entry.TargetType, x.Entry.TargetId, x.Entry.Details));
}
