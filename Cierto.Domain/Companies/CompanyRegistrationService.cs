using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Common;
using Cierto.Domain.Common.Validation;
using Cierto.Domain.Data;
using Cierto.Domain.Localization;
using Cierto.Domain.Outbox;
using Cierto.Domain.Users;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ValidationException = Cierto.Domain.Common.ValidationException;

namespace Cierto.Domain.Companies;

public sealed record RegisterCompanyRequest(
    string? InviteCode,
    string? CompanyName,
    string? CompanyIdentificationNumber,
    string? AdminEmail,
    string? AdminPassword,
    string? AdminDisplayName,
    string? TimeZone = null) : INewCompany;

public sealed record CreateCompanyRequest(string? CompanyName, string? CompanyIdentificationNumber, string? AdminEmail, string? AdminDisplayName, string? TimeZone = null) : INewCompany;

public sealed record RegisteredCompany(Guid CompanyId, string JoinCode, Guid AdminId);

/// <summary>
/// A company comes into being here: registered by anyone holding a valid invite code, or created
/// directly by Support. Either way it gets its first admin in the same transaction.
/// </summary>
public sealed class CompanyRegistrationService(
    CiertoDbContext db,
    UserManager<CiertoUser> users,
    IValidator<RegisterCompanyRequest> registerRules,
    IValidator<CreateCompanyRequest> createRules,
    TimeProvider time)
{
    public async Task<RegisteredCompany> RegisterAsync(RegisterCompanyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await registerRules.ThrowIfInvalidAsync(request, cancellationToken);
        var code = Codes.Normalize(request.InviteCode!.Trim());
        var (name, number, email, displayName, zone) = Stated(request);

        var now = time.GetUtcNow();
        var invite = await db.InviteCodes.AsNoTracking().SingleOrDefaultAsync(i => i.CodeHash == Codes.Hash(code), cancellationToken);
        ThrowIfUnusable(invite, number, now);

        // The invite code was checked above, so only its holder learns that an address is taken.
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw ValidationException.For("AdminEmail", Texts.Get("An account with this email already exists. Sign in, or use another email."));
        }

        return await CreateAsync(name, number, email, displayName, zone, request.AdminPassword, actor: null, async () =>
        {
            // Atomic redemption: of two concurrent registrations with one code, one updates the row.
            var redeemed = await db.InviteCodes
                .Where(i => i.Id == invite!.Id && i.RedeemedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.RedeemedAt, now), cancellationToken);
            if (redeemed != 1)
            {
                throw ValidationException.For("InviteCode", Texts.Get("This invite code has already been used."));
            }
        }, (companyId) => db.InviteCodes.Where(i => i.Id == invite!.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.RedeemedByCompanyId, companyId), cancellationToken), cancellationToken);
    }

    /// <summary>Support sets up a company directly; its admin gets a mail to set a password.</summary>
    public async Task<RegisteredCompany> CreateAsync(Actor actor, CreateCompanyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.RequireStaff();
        createRules.ThrowIfInvalid(request);
        var (name, number, email, displayName, zone) = Stated(request);
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw ValidationException.For("AdminEmail", Texts.Get("An account with this email already exists."));
        }

        return await CreateAsync(name, number, email, displayName, zone, password: null, actor, () => Task.CompletedTask, _ => Task.FromResult(0), cancellationToken);
    }

    /// <summary>A validated company's details as stored: trimmed, the number normalised, UTC when no time zone is given.</summary>
    private static (string Name, string Number, string Email, string DisplayName, string TimeZone) Stated(INewCompany company) => (
        company.CompanyName!.Trim(),
        Company.NormalizeIdentificationNumber(company.CompanyIdentificationNumber!.Trim()),
        company.AdminEmail!.Trim(),
        company.AdminDisplayName!.Trim(),
        string.IsNullOrWhiteSpace(company.TimeZone) ? CompanyTime.Default : company.TimeZone.Trim());

    private async Task<RegisteredCompany> CreateAsync(
        string name,
        string number,
        string email,
        string displayName,
        string timeZone,
        string? password,
        Actor? actor,
        Func<Task> beforeCreate,
        Func<Guid, Task<int>> afterCreate,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await beforeCreate();
            var company = new Company(name, number, now);
            company.SetTimeZone(timeZone);
            db.Companies.Add(company);
            await db.SaveChangesAsync(cancellationToken);
            await afterCreate(company.Id);

            var admin = AccountRules.NewUser(email, displayName, company.Id, UserStatus.Active, now);
            AccountRules.ThrowIfFailed(password is null ? await users.CreateAsync(admin) : await users.CreateAsync(admin, password), "AdminEmail");
            AccountRules.ThrowIfFailed(await users.AddToRoleAsync(admin, Roles.CompanyAdmin), "AdminEmail");
            company.FoundedBy(admin.Id);

            db.Record(now, actor ?? new Actor(admin.Id, company.Id, [Roles.CompanyAdmin]), company.Id, actor is null ? "company.registered" : "company.created", nameof(Company), company.Id, $"{company.Name} ({company.IdentificationNumber})");
            db.Enqueue(new CompanyRegistered(company.Id, admin.Id), now);
            if (password is null)
            {
                db.Enqueue(new SetPasswordInvitation(admin.Id), now);
            }
            else
            {
                db.Enqueue(new EmailConfirmationRequested(admin.Id), now);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RegisteredCompany(company.Id, company.JoinCode, admin.Id);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Two registrations raced past the checks above and the database kept one: name the field that lost.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            throw await users.FindByEmailAsync(email) is not null
                ? ValidationException.For("AdminEmail", Texts.Get("An account with this email already exists."))
                : ValidationException.For("CompanyIdentificationNumber", Texts.Get("A company with this identification number is already registered."));
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private static void ThrowIfUnusable(InviteCode? invite, string number, DateTimeOffset now)
    {
        if (invite is null)
        {
            throw ValidationException.For("InviteCode", Texts.Get("This invite code is not valid. Check it and try again."));
        }

        if (invite.IdentificationNumber != number)
        {
            throw ValidationException.For("CompanyIdentificationNumber", Texts.Get("This invite code was issued for a different company identification number."));
        }

        var message = InviteCodeService.StateOf(invite.RedeemedAt, invite.RevokedAt, invite.ExpiresAt, now) switch
        {
            InviteCodeState.Redeemed => Texts.Get("This invite code has already been used."),
            InviteCodeState.Revoked => Texts.Get("This invite code has been revoked. Ask Cierto support for a new one."),
            InviteCodeState.Expired => Texts.Get("This invite code has expired. Ask Cierto support for a new one."),
            _ => null,
        };
        if (message is not null)
        {
            throw ValidationException.For("InviteCode", message);
        }
    }
}
