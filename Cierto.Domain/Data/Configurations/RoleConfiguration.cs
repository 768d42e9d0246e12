using Cierto.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cierto.Domain.Data.Configurations;

/// <summary>The four roles are part of the schema: every database has them from its first migration.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<IdentityRole<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityRole<Guid>> builder) =>
        builder.HasData(Roles.Ids.Select(r => new IdentityRole<Guid>
        {
            Id = r.Value,
            Name = r.Key,
            NormalizedName = r.Key.ToUpperInvariant(),
            ConcurrencyStamp = r.Value.ToString(),
        }));
}
