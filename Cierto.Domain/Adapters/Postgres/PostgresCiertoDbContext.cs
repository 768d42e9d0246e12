using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Adapters.Postgres;

public sealed class PostgresCiertoDbContext(DbContextOptions<PostgresCiertoDbContext> options) : CiertoDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
