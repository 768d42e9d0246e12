namespace Cierto.Domain.Companies;

/// <summary>What every new company states, however it comes into being (registered with an invite code, or created by Support).</summary>
public interface INewCompany
{
    string? CompanyName { get; }

    string? CompanyIdentificationNumber { get; }

    string? AdminEmail { get; }

    string? AdminDisplayName { get; }

    /// <summary>An IANA id from <see cref="CompanyTime"/>'s list; UTC when left out.</summary>
    string? TimeZone { get; }
}
