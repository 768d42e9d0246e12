using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Cierto.Domain.Outbox;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Users;

public sealed record JoinRequest(string? JoinCode, string? Email, string? Password, string? DisplayName);

public sealed record WorkerRow(Guid Id, string DisplayName, string Email, UserStatus Status, bool IsAdmin, DateTimeOffset CreatedAt, bool EmailConfirmed = true, bool IsFounder = false);

/// <summary>Joining a company with its join code, and the company admin's decisions about its people.</summary>
public sealed class WorkerService(CiertoDbContext db, UserManager<CiertoUser> users, IValidator<JoinRequest> joinRules, SignInSessionService signIns, TimeProvider time)
{
    /// <summary>
    /// Checks the form, then only writes one outbox row: the join code is looked up and the
    /// account made by <see cref="CompleteJoinAsync"/>. A known and an unknown address, and a known
    /// and an unknown join code, cost and answer the same, so neither can be probed from here.
    /// </summary>
    public async Task RequestJoinAsync(JoinRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await joinRules.ThrowIfInvalidAsync(request, cancellationToken);
        var (code, email, displayName) = (Codes.Normalize(request.JoinCode!.Trim()), request.Email!.Trim(), request.DisplayName!.Trim());

        var now = time.GetUtcNow();
        var hash = users.PasswordHasher.HashPassword(new CiertoUser(), request.Password!);
        db.Enqueue(new JoinRequested(null, email, displayName, hash, code, Localization.Languages.Current), now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Runs from the outbox. An unknown join code is mailed to the address (a typo must not vanish);
    /// a new address gets a pending account and a link to confirm it; an address whose account is
    /// still unconfirmed gets the new request's details and a fresh link (earlier links stop working).
    /// </summary>
    public async Task<Guid?> CompleteJoinAsync(JoinRequested request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var company = await db.Companies.AsNoTracking()
            .Where(c => c.Status == CompanyStatus.Active && (request.JoinCode != null ? c.JoinCode == request.JoinCode : c.Id == request.CompanyId))
            .SingleOrDefaultAsync(cancellationToken);
        if (company is null)
        {
            db.Enqueue(new JoinCodeNotFound(request.Email, request.DisplayName, request.JoinCode ?? string.Empty, request.Language), now);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        if (await users.FindByEmailAsync(request.Email) is { } existing)
        {
            return await RepeatJoinAsync(existing, company, request, now, cancellationToken);
        }

        var worker = AccountRules.NewUser(request.Email, request.DisplayName, company.Id, UserStatus.Pending, now);
        worker.PasswordHash = request.PasswordHash;
        worker.Language = Localization.Languages.Supported(request.Language) ?? Localization.Languages.English; // this runs in the background: the request's language came with it

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            AccountRules.ThrowIfFailed(await users.CreateAsync(worker));
            AccountRules.ThrowIfFailed(await users.AddToRoleAsync(worker, Roles.Worker));
            db.Record(now, new Actor(worker.Id, company.Id, [Roles.Worker]), company.Id, "worker.joined", "User", worker.Id, worker.Status.ToString());
            db.Enqueue(new EmailConfirmationRequested(worker.Id), now);
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

    private async Task<Guid?> RepeatJoinAsync(CiertoUser existing, Company company, JoinRequested request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unconfirmedJoin = existing is { EmailConfirmed: false, Status: UserStatus.Pending, CompanyId: not null }
            && await users.IsInRoleAsync(existing, Roles.Worker) && !await db.IsAdminAsync(existing.Id, cancellationToken);
        if (!unconfirmedJoin)
        {
            return null; // a real account: nothing changes, and the requester was told the same as anyone
        }

        // Only the newest request can be confirmed: its password stands and the new stamp voids earlier links.
        existing.PasswordHash = request.PasswordHash;
        existing.DisplayName = request.DisplayName;
        existing.Language = Localization.Languages.Supported(request.Language) ?? existing.Language;
        existing.CompanyId = company.Id;
        existing.SecurityStamp = AccountRules.NewSecurityStamp();
        db.Record(now, new Actor(existing.Id, company.Id, [Roles.Worker]), company.Id, "worker.join-repeated", "User", existing.Id);
        db.Enqueue(new EmailConfirmationRequested(existing.Id), now);
        AccountRules.ThrowIfFailed(await users.UpdateAsync(existing));
        return existing.Id;
    }

    /// <summary>
    /// The link from the confirmation mail. Confirming a joining worker's address is what lets the
    /// join go on: an auto-approving company activates them, otherwise its admins are asked now.
    /// All of it commits at once. False for a wrong, used or out-of-date link.
    /// </summary>
    public async Task<bool> ConfirmEmailAsync(Guid userId, string? token, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || string.IsNullOrEmpty(token)
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, UserManager<CiertoUser>.ConfirmEmailTokenPurpose, token))
        {
            return false;
        }

        if (user.EmailConfirmed)
        {
            return true;
        }

        user.EmailConfirmed = true;
        if (user is { Status: UserStatus.Pending, CompanyId: { } companyId }
            && await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => (JoinPolicy?)c.JoinPolicy).SingleOrDefaultAsync(cancellationToken) is { } policy)
        {
            var now = time.GetUtcNow();
            var self = new Actor(user.Id, companyId, [Roles.Worker]);
            if (policy == JoinPolicy.AutoApprove)
            {
                user.Status = UserStatus.Active;
                db.Record(now, self, companyId, "worker.auto-approved", "User", user.Id);
            }
            else
            {
                db.Enqueue(new WorkerAwaitingApproval(companyId, user.Id), now);
            }

            db.Record(now, self, companyId, "user.email-confirmed", "User", user.Id);
        }

        AccountRules.ThrowIfFailed(await users.UpdateAsync(user));
        return true;
    }

    public async Task<Paged<WorkerRow>> ListAsync(Actor actor, UserStatus? status, PageRequest page, string? search = null, Guid? companyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        var id = actor.OverseenCompany(companyId);
        var admins = db.Admins();
        var query = db.Users.AsNoTracking().Where(u => u.CompanyId == id);
        if (status is { } wanted)
        {
            query = query.Where(u => u.Status == wanted);
        }

        query = query.Matching(search);
        return await query
            .OrderBy(u => u.DisplayName)
            .Select(u => new WorkerRow(
                u.Id,
                u.DisplayName,
                u.Email!,
                u.Status,
                admins.Any(a => a.Id == u.Id),
                u.CreatedAt,
                u.EmailConfirmed,
                db.Companies.Any(c => c.Id == id && c.FounderId == u.Id)))
            .ToPagedAsync(page, cancellationToken);
    }

    /// <summary>Only someone who has confirmed their address can be let in.</summary>
    public Task ApproveAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "worker.approved", UserStatus.Pending, (user, now) =>
        {
            if (!user.EmailConfirmed)
            {
                throw new DomainException("email_not_confirmed", Texts.Format("{0} has not confirmed their email address yet. They can be approved once they have opened the link we mailed them.", user.DisplayName));
            }

            user.Status = UserStatus.Active;
            db.Enqueue(new WorkerDecided(user.CompanyId!.Value, user.Email!, user.DisplayName, Approved: true, user.Language), now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>A rejected request leaves nothing behind but the audit entry, so the person may ask again.</summary>
    public Task RejectAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "worker.rejected", UserStatus.Pending, (user, now) =>
        {
            db.Enqueue(new WorkerDecided(user.CompanyId!.Value, user.Email!, user.DisplayName, Approved: false, user.Language), now);
            db.Users.Remove(user);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// Nobody disables themselves, an admin never disables the founding admin, and a company always
    /// keeps an active admin. The worker's browsers, app devices and calendar feed address end at
    /// once; enabling them again brings none of these back.
    /// </summary>
    public async Task DisableAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default)
    {
        await ChangeAsync(actor, userId, "user.disabled", UserStatus.Active, async (user, _) =>
        {
            if (user.Id == actor.UserId)
            {
                throw new DomainException("cannot_disable_self", Texts.Get("You cannot disable your own account."));
            }

            await ThrowIfLastOrFounderAdminAsync(actor, user, disabling: true, cancellationToken);
            user.Status = UserStatus.Disabled;
            user.SecurityStamp = AccountRules.NewSecurityStamp();
        }, cancellationToken);
        await signIns.EndEverywhereAsync(userId, null, "disabled", cancellationToken);
    }

    public Task EnableAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.enabled", UserStatus.Disabled, (user, _) =>
        {
            user.Status = UserStatus.Active;
            return Task.CompletedTask;
        }, cancellationToken);

    public Task PromoteToAdminAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.promoted", UserStatus.Active, async (user, _) =>
        {
            if (await db.IsAdminAsync(user.Id, cancellationToken))
            {
                throw new DomainException("already_admin", Texts.Format("{0} is already a company admin.", user.DisplayName));
            }

            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = CompanyAdmins.RoleId });
            user.SecurityStamp = AccountRules.NewSecurityStamp(); // the new role takes effect at the next sign-in
        }, cancellationToken);

    /// <summary>Undoes a promotion: the admin goes back to being a worker of the company.</summary>
    public Task DemoteAsync(Actor actor, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.demoted", UserStatus.Active, async (user, _) =>
        {
            var membership = await db.UserRoles.SingleOrDefaultAsync(r => r.UserId == user.Id && r.RoleId == CompanyAdmins.RoleId, cancellationToken)
                ?? throw new DomainException("not_admin", Texts.Format("{0} is not a company admin.", user.DisplayName));
            await ThrowIfLastOrFounderAdminAsync(actor, user, disabling: false, cancellationToken);
            db.UserRoles.Remove(membership);
            var workerRole = Roles.Ids[Roles.Worker];
            if (!await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleId == workerRole, cancellationToken))
            {
                db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = workerRole });
            }

            user.SecurityStamp = AccountRules.NewSecurityStamp(); // open pages and tokens lose the admin role at once
        }, cancellationToken);

    /// <summary>
    /// Runs with the company row locked (see <see cref="ChangeAsync"/>), so two admins removing
    /// each other at the same moment cannot leave the company without one.
    /// </summary>
    private async Task ThrowIfLastOrFounderAdminAsync(Actor actor, CiertoUser user, bool disabling, CancellationToken cancellationToken)
    {
        if (!await db.IsAdminAsync(user.Id, cancellationToken))
        {
            return;
        }

        var companyId = user.CompanyId!.Value;
        if (!actor.IsRoot && await db.Companies.AnyAsync(c => c.Id == companyId && c.FounderId == user.Id, cancellationToken))
        {
            throw new DomainException("founding_admin", disabling
                ? Texts.Format("{0} founded the company on Cierto and cannot be disabled by another admin. Cierto support can help.", user.DisplayName)
                : Texts.Format("{0} founded the company on Cierto and cannot be removed as admin by another admin. Cierto support can help.", user.DisplayName));
        }

        var others = await db.Admins().CountAsync(u => u.CompanyId == companyId && u.Id != user.Id && u.Status == UserStatus.Active, cancellationToken);
        if (others == 0)
        {
            throw new DomainException("last_admin", disabling
                ? Texts.Format("{0} is the company's only active admin and cannot be disabled. Promote someone else first.", user.DisplayName)
                : Texts.Format("{0} is the company's only active admin and cannot be removed as admin. Promote someone else first.", user.DisplayName));
        }
    }

    private async Task ChangeAsync(Actor actor, Guid userId, string action, UserStatus requiredStatus, Func<CiertoUser, DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsRoot && !actor.IsCompanyAdmin)
        {
            throw new ForbiddenException();
        }

        // Someone of another company answers exactly like nobody at all.
        var companyId = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.CompanyId != null && (actor.IsRoot || u.CompanyId == actor.CompanyId))
            .Select(u => u.CompanyId)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Worker");

        // Changes to a company's people are made one at a time per company: the rules about its admins hold under concurrency.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockCompanyAsync(companyId, cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.CompanyId == companyId, cancellationToken) ?? throw new NotFoundException("Worker");
        if (user.Status != requiredStatus)
        {
            throw new DomainException("invalid_status", Texts.Format("{0} is {1}, so this cannot be done.", user.DisplayName, UserStatusNames.Describe(user.Status)));
        }

        var now = time.GetUtcNow();
        await change(user, now);
        db.Record(now, actor, user.CompanyId, action, "User", user.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
