using System.Data.Common;
using Cierto.Domain.Adapters.Postgres;
using Cierto.Domain.Data;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Cierto.Tests.Domain;

/// <summary>
/// The execution strategy repeats a read whose connection broke and never a write: after a break
/// mid-statement nobody knows whether a write committed. The break is made by an interceptor that
/// fails the first executions the way a dropped connection does (an I/O error under Npgsql's exception).
/// </summary>
public sealed class ReadRetryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_read_whose_connection_breaks_is_repeated_and_answers()
    {
        var breaker = new ConnectionBreaker(failures: 2);
        await using var db = Context(breaker);

        var names = await db.Companies.Select(c => c.Name).ToListAsync();

        Assert.Empty(names);
        Assert.Equal(3, breaker.Executions); // two broken attempts, then the answer
    }

    [Fact]
    public async Task A_read_that_keeps_failing_gives_up_within_seconds_as_an_outage()
    {
        var breaker = new ConnectionBreaker(failures: int.MaxValue);
        await using var db = Context(breaker);
        var started = DateTime.UtcNow;

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Companies.CountAsync());

        Assert.True(DatabaseFailures.IsTransient(failure));
        Assert.Equal(4, breaker.Executions); // the first try and three repeats
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_write_whose_connection_breaks_runs_once()
    {
        var breaker = new ConnectionBreaker(failures: 1);
        await using var db = Context(breaker);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"Companies\" SET \"Name\" = \"Name\""));

        Assert.True(DatabaseFailures.IsTransient(failure));
        Assert.Equal(1, breaker.Executions);
    }

    [Fact]
    public async Task Nothing_inside_a_transaction_is_repeated()
    {
        var breaker = new ConnectionBreaker(failures: 1, armed: false);
        await using var db = Context(breaker);
        await using var transaction = await db.Database.BeginTransactionAsync();
        breaker.Arm();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Companies.CountAsync());

        Assert.True(DatabaseFailures.IsTransient(failure));
        Assert.Equal(1, breaker.Executions);
    }

    private PostgresCiertoDbContext Context(ConnectionBreaker breaker)
    {
        var options = new DbContextOptionsBuilder<PostgresCiertoDbContext>();
        DatabaseServiceCollectionExtensions.ConfigurePostgres(options, database.ConnectionString);
        options.AddInterceptors(breaker);
        return new PostgresCiertoDbContext(options.Options);
    }

    /// <summary>Fails the first <c>failures</c> commands as a connection reset does; counts every command after arming.</summary>
    private sealed class ConnectionBreaker(int failures, bool armed = true) : DbCommandInterceptor
    {
        private bool armed = armed;

        public int Executions { get; private set; }

        public void Arm() => armed = true;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Break();
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Break();
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Break();
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Break()
        {
            if (!armed)
            {
                return;
            }

            if (++Executions <= failures)
            {
                throw new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer"));
            }
        }
    }
}
