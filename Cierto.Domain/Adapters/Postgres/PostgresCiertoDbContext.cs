using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Adapters.Postgres;

public sealed class PostgresCiertoDbContext(DbContextOptions<PostgresCiertoDbContext> options) : CiertoDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Trigram indexes answer the equipment search's LIKE '%term%' (see migration EquipmentGridIndexes).
        builder.HasPostgresExtension("pg_trgm");
    }
}
