using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Users;

/// <summary>
/// Who is a company admin, asked one way everywhere: the user holds the CompanyAdmin role
/// (a row in <c>AspNetUserRoles</c>). The claims of a signed-in user say the same through
/// <see cref="Accounts.Actor"/>; these are the database's answers, for lists, counts and mail.
/// </summary>
public static class CompanyAdmins
{
    public static readonly Guid RoleId = Roles.Ids[Roles.CompanyAdmin];

    /// <summary>Every user holding the role, whatever their status.</summary>
    public static IQueryable<CiertoUser> Admins(this CiertoDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Users.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == RoleId));
    }

    /// <summary>The company's admins who can act and be written to now: active, with an address.</summary>
    public static IQueryable<CiertoUser> ActiveAdminsOf(this CiertoDbContext db, Guid companyId) =>
        db.Admins().Where(u => u.CompanyId == companyId && u.Status == UserStatus.Active && u.Email != null);

    public static Task<bool> IsAdminAsync(this CiertoDbContext db, Guid userId, CancellationToken cancellationToken = default) =>
        db.Admins().AnyAsync(u => u.Id == userId, cancellationToken);
}
