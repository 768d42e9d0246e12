using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ValidationException = Cierto.Domain.Common.ValidationException;

namespace Cierto.Domain.Users;

public sealed record UserRow(Guid Id, string DisplayName, string Email, UserStatus Status, string? CompanyName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

public sealed record CreateSupportRequest(string? Email, string? DisplayName, string? Password);

/// <summary>Root's view of people: Support staff, and every user of the site.</summary>
public sealed class StaffService(CiertoDbContext db, UserManager<CiertoUser> users, IValidator<CreateSupportRequest> supportRules, SignInSessionService signIns, TimeProvider time)
{
    public async Task<Paged<UserRow>> ListUsersAsync(Actor actor, PageRequest page, string? search = null, bool staffOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        actor.RequireRoot();
        var query = db.Users.AsNoTracking();
        if (staffOnly)
        {
            var supportRole = Roles.Ids[Roles.Support];
            query = query.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == supportRole));
        }

        query = query.Matching(search);
        var rows = await query
            .OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                u.Status,
                u.CreatedAt,
                Company = db.Companies.Where(c => c.Id == u.CompanyId).Select(c => c.Name).FirstOrDefault(),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .ToPagedAsync(page, cancellationToken);
        return rows.Map(r => new UserRow(r.Id, r.DisplayName, r.Email!, r.Status, r.Company, r.Roles, r.CreatedAt));
    }

    public async Task<Guid> CreateSupportAsync(Actor actor, CreateSupportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.RequireRoot();
        await supportRules.ThrowIfInvalidAsync(request, cancellationToken);
        var (email, displayName) = (request.Email!.Trim(), request.DisplayName!.Trim());
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw ValidationException.For("Email", Texts.Get("An account with this email already exists."));
        }

        var now = time.GetUtcNow();
        var user = AccountRules.NewUser(email, displayName, null, UserStatus.Active, now);
        user.EmailConfirmed = true;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        AccountRules.ThrowIfFailed(await users.CreateAsync(user, request.Password!));
        AccountRules.ThrowIfFailed(await users.AddToRoleAsync(user, Roles.Support));
        db.Record(now, actor, null, "support.created", "User", user.Id, email);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user.Id;
    }

    public async Task SetSupportDisabledAsync(Actor actor, Guid userId, bool disabled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.RequireRoot();
        var supportRole = Roles.Ids[Roles.Support];
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == supportRole), cancellationToken)
            ?? throw new NotFoundException("Support user");
        var now = time.GetUtcNow();
        user.Status = disabled ? UserStatus.Disabled : UserStatus.Active;
        if (disabled)
        {
            user.SecurityStamp = AccountRules.NewSecurityStamp();
        }

        db.Record(now, actor, null, disabled ? "user.disabled" : "user.enabled", "User", user.Id);
        await db.SaveChangesAsync(cancellationToken);
        if (disabled)
        {
            await signIns.RevokeAllAsync(user.Id, null, "disabled", cancellationToken);
        }
    }
}
