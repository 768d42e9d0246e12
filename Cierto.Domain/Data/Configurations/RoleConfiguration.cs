using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

/// <summary>The four roles are part of the schema: every database has them from its first migration.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<IdentityRole<Guid>>
{
    public static readonly IReadOnlyDictionary<string, Guid> RoleIds = new Dictionary<string, Guid>
    {
        [Roles.Root] = new("6c1b0d4e-1f0a-4c55-9a39-000000000001"),
        [Roles.Support] = new("6c1b0d4e-1f0a-4c55-9a39-000000000002"),
        [Roles.CompanyAdmin] = new("6c1b0d4e-1f0a-4c55-9a39-000000000003"),
        [Roles.Worker] = new("6c1b0d4e-1f0a-4c55-9a39-000000000004"),
    };

    public void Configure(EntityTypeBuilder<IdentityRole<Guid>> builder) =>
        builder.HasData(RoleIds.Select(r => new IdentityRole<Guid>
        {
            Id = r.Value,
            Name = r.Key,
            NormalizedName = r.Key.ToUpperInvariant(),
            ConcurrencyStamp = r.Value.ToString(),
        }));
}
