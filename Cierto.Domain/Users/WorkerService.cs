using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Outbox;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Users;

public sealed record JoinRequest(string? JoinCode, string? Email, string? Password, string? DisplayName);

public sealed record WorkerRow(Guid Id, string DisplayName, string Email, UserStatus Status, bool IsAdmin, DateTimeOffset CreatedAt);

/// <summary>Joining a company with its join code, and the company admin's decisions about its people.</summary>
public sealed class WorkerService(CiertoDbContext db, UserManager<CiertoUser> users, TimeProvider time)
{
    /// <summary>
    /// Checks the form and the join code, then only writes one outbox row: the account is made by
    /// <see cref="CompleteJoinAsync"/>. A known and an unknown address cost and answer the same.
    /// </summary>
    public async Task<string> RequestJoinAsync(JoinRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var validator = new Validator();
        var code = Codes.Normalize(validator.Required("JoinCode", "Join code", request.JoinCode, 32));
        var email = validator.Email("Email", request.Email);
        var displayName = validator.Required("DisplayName", "Display name", request.DisplayName, CiertoUser.DisplayNameMaxLength);
        await AccountRules.ValidatePasswordAsync(users, validator, "Password", request.Password);
        validator.ThrowIfInvalid();

        var company = await db.Companies.AsNoTracking()
            .Where(c => c.JoinCode == code && c.Status == CompanyStatus.Active)
            .Select(c => new { c.Id, c.Name })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw ValidationException.For("JoinCode", "No company has this join code. Check it with your company admin.");

        var now = time.GetUtcNow();
        var hash = users.PasswordHasher.HashPassword(new CiertoUser(), request.Password!);
        db.Enqueue(new JoinRequested(company.Id, email, displayName, hash), now);
        await db.SaveChangesAsync(cancellationToken);
        return company.Name;
    }

    /// <summary>Runs from the outbox: makes the pending (or, with auto-approve, active) worker.</summary>
    public async Task<Guid?> CompleteJoinAsync(JoinRequested request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var company = await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CompanyId && c.Status == CompanyStatus.Active, cancellationToken);
        if (company is null || await users.FindByEmailAsync(request.Email) is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var status = company.JoinPolicy == JoinPolicy.AutoApprove ? UserStatus.Active : UserStatus.Pending;
        var worker = AccountRules.NewUser(request.Email, request.DisplayName, company.Id, status, now);
        worker.PasswordHash = request.PasswordHash;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            AccountRules.ThrowIfFailed(await users.CreateAsync(worker));
            AccountRules.ThrowIfFailed(await users.AddToRoleAsync(worker, Roles.Worker));
            db.Record(now, new Actor(worker.Id, company.Id, [Roles.Worker]), company.Id, "worker.joined", "User", worker.Id, status.ToString());
            db.Enqueue(new EmailConfirmationRequested(worker.Id), now);
            if (status == UserStatus.Pending)
            {
                db.Enqueue(new WorkerAwaitingApproval(company.Id, worker.Id), now);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return worker.Id;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // The same address joined twice at once; the first one stands.
            db.ChangeTracker.Clear();
            return null;
        }
    }

    public async Task<Paged<WorkerRow>> ListAsync(Actor actor, UserStatus? status, PageRequest page, string? search = null, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        var id = actor.OverseenCompany(companyId);
        var adminRole = Roles.Ids[Roles.CompanyAdmin];
        var query = db.Users.AsNoTracking().Where(u => u.CompanyId == id);
        if (status is { } wanted)
        {
            query = query.Where(u => u.Status == wanted);
        }

        query = query.Matching(search);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(u => u.DisplayName)
            .Skip(page.Skip).Take(page.SafePageSize)
            .Select(u => new WorkerRow(u.Id, u.DisplayName, u.Email!, u.Status, db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRole), u.CreatedAt))
            .ToListAsync(cancellationToken);
        return new Paged<WorkerRow>(items, total, page.SafePage, page.SafePageSize);
    }

    public Task ApproveAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "worker.approved", UserStatus.Pending, (user, now) =>
        {
            user.Status = UserStatus.Active;
            db.Enqueue(new WorkerDecided(user.CompanyId!.Value, user.Email!, user.DisplayName, Approved: true), now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>A rejected request leaves nothing behind but the audit entry, so the person may ask again.</summary>
    public Task RejectAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "worker.rejected", UserStatus.Pending, (user, now) =>
        {
            db.Enqueue(new WorkerDecided(user.CompanyId!.Value, user.Email!, user.DisplayName, Approved: false), now);
            db.Users.Remove(user);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task DisableAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.disabled", UserStatus.Active, (user, _) =>
        {
            if (user.Id == actor.UserId)
            {
                throw new DomainException("cannot_disable_self", "You cannot disable your own account.");
            }

            user.Status = UserStatus.Disabled;
            user.SecurityStamp = AccountRules.NewSecurityStamp(); // signs the user out of open circuits at the next check
            return Task.CompletedTask;
        }, cancellationToken);

    public Task EnableAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.enabled", UserStatus.Disabled, (user, _) =>
        {
            user.Status = UserStatus.Active;
            return Task.CompletedTask;
        }, cancellationToken);

    public Task PromoteToAdminAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.promoted", UserStatus.Active, async (user, _) =>
        {
            var adminRole = Roles.Ids[Roles.CompanyAdmin];
            if (await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleId == adminRole, cancellationToken))
            {
                throw new DomainException("already_admin", $"{user.DisplayName} is already a company admin.");
            }

            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = adminRole });
            user.SecurityStamp = AccountRules.NewSecurityStamp(); // the new role takes effect at the next sign-in
        }, cancellationToken);

    private async Task ChangeAsync(Actor actor, Guid userId, string action, UserStatus requiredStatus, Func<CiertoUser, DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsRoot && !actor.IsCompanyAdmin)
        {
            throw new ForbiddenException();
        }

        // Someone of another company answers exactly like nobody at all.
        var user = await db.Users
            .Where(u => u.Id == userId && u.CompanyId != null && (actor.IsRoot || u.CompanyId == actor.CompanyId))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Worker");
        if (user.Status != requiredStatus)
        {
            throw new DomainException("invalid_status", $"{user.DisplayName} is {user.Status.ToString().ToLowerInvariant()}, so this cannot be done.");
        }

        var now = time.GetUtcNow();
        await change(user, now);
        db.Record(now, actor, user.CompanyId, action, "User", user.Id);
        await db.SaveChangesAsync(cancellationToken);
    }
}
