using System.Data.Common;
using Cierto.Domain.Adapters.Postgres;
using Cierto.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cierto.Tests.Infrastructure;

/// <summary>Records the text of every SQL command a context sends (parameter values stay out), to compare the work two requests do.</summary>
public sealed class SqlCommandRecorder : DbCommandInterceptor
{
    public List<string> Commands { get; } = [];

    /// <summary>A PostgreSQL context on <paramref name="database"/> whose commands this recorder sees.</summary>
    public PostgresCiertoDbContext Context(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new(new DbContextOptionsBuilder<PostgresCiertoDbContext>().UseNpgsql(database.ConnectionString).AddInterceptors(this).Options);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        Commands.Add(command.CommandText);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        Commands.Add(command.CommandText);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }
}
