using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;

namespace Cierto.Domain.Accounts;

/// <summary>
/// Who is acting. Every service method takes one, and every rule about who may do what is
/// decided from it here, so pages, API endpoints and services agree.
/// </summary>
public sealed record Actor(Guid UserId, Guid? CompanyId, IReadOnlyCollection<string> Roles)
{
    public bool IsRoot => Roles.Contains(Users.Roles.Root);

    public bool IsSupport => Roles.Contains(Users.Roles.Support);

    public bool IsCompanyAdmin => Roles.Contains(Users.Roles.CompanyAdmin) && CompanyId is not null;

    public bool IsWorker => Roles.Contains(Users.Roles.Worker) && CompanyId is not null;

    /// <summary>Root and Support work across companies.</summary>
    public bool IsStaff => IsRoot || IsSupport;

    /// <summary>Root, Support, or a member of that company.</summary>
    public bool CanRead(Guid companyId) => IsStaff || CompanyId == companyId;

    /// <summary>Root, or an admin of that company. Support only reads company data.</summary>
    public bool CanManage(Guid companyId) => IsRoot || (IsCompanyAdmin && CompanyId == companyId);

    public void RequireStaff()
    {
        if (!IsStaff)
        {
            throw new ForbiddenException();
        }
    }

    public void RequireRoot()
    {
        if (!IsRoot)
        {
            throw new ForbiddenException();
        }
    }

    /// <summary>
    /// The member's own company, for what people do as members (their free equipment, their
    /// sessions, their bookings). Root and Support belong to none: refused like any outsider.
    /// </summary>
    /// <remarks>
    /// Every service method finds the company it works on through one of <see cref="OwnCompany"/>,
    /// <see cref="ManagedCompany"/>, <see cref="OverseenCompany"/> and <see cref="ReadableCompany"/>,
    /// never from <see cref="CompanyId"/> directly, so staff without a company in hand get the same
    /// "choose a company" answer everywhere instead of a crash in one place.
    /// </remarks>
    public Guid OwnCompany() => CompanyId ?? throw new ForbiddenException();

    /// <summary>
    /// The company an admin action applies to: the admin's own, or for Root the one asked for.
    /// Another company's id answers as a missing one.
    /// </summary>
    public Guid ManagedCompany(Guid? requested = null)
    {
        if (IsRoot)
        {
            return requested ?? throw new DomainException("company_required", Texts.Get("Choose a company first."));
        }

        if (!IsCompanyAdmin)
        {
            throw new ForbiddenException();
        }

        return requested is null || requested == CompanyId ? CompanyId!.Value : throw new NotFoundException("Company");
    }

    /// <summary>
    /// The company whose admin-level data (equipment with codes, usage, workers) is read: any for
    /// Root and Support (the one asked for), their own for an admin; workers may not.
    /// </summary>
    public Guid OverseenCompany(Guid? requested = null) => IsStaff ? ReadableCompany(requested) : ManagedCompany(requested);

    /// <summary>The company whose data is read: the member's own, or for Root and Support the one asked for.</summary>
    public Guid ReadableCompany(Guid? requested = null)
    {
        if (IsStaff)
        {
            return requested ?? throw new DomainException("company_required", Texts.Get("Choose a company first."));
        }

        if (CompanyId is not { } own)
        {
            throw new ForbiddenException();
        }

        return requested is null || requested == own ? own : throw new NotFoundException("Company");
    }

    public static Actor For(CiertoUser user, IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Actor(user.Id, user.CompanyId, roles.ToHashSet(StringComparer.Ordinal));
    }
}
