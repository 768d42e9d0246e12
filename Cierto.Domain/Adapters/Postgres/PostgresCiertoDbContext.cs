using Cierto.Domain.Accounts;
using Cierto.Domain.Auditing;
using Cierto.Domain.Billing;
using Cierto.Domain.Companies;
using Cierto.Domain.Data;
using Cierto.Domain.Equipment;
using Cierto.Domain.Outbox;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Adapters.Postgres;

public sealed class PostgresCiertoDbContext(DbContextOptions<PostgresCiertoDbContext> options) : CiertoDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
