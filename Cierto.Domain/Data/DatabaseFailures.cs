using System.Net.Sockets;
using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using StackExchange.Redis;

namespace Cierto.Domain.Data;

/// <summary>
/// Tells an outage (the database restarting, failing over, refusing connections, a network blip)
/// from a fault in Cierto: the first is answered "try again in a moment" and changes nothing, the
/// second still reaches the error handling as a bug. One list for the API, the pages, the retrying
/// reads and the background services.
/// </summary>
public static class DatabaseFailures
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>PostgreSQL states that mean "the server is going, gone or not ready", never "your statement is wrong".</summary>
    private static readonly HashSet<string> UnavailableStates =
    [
        PostgresErrorCodes.AdminShutdown,             // 57P01: fast or smart shutdown, a failover
        PostgresErrorCodes.CrashShutdown,             // 57P02
        PostgresErrorCodes.CannotConnectNow,          // 57P03: starting up or in recovery
        "57P05",                                      // idle_session_timeout
        PostgresErrorCodes.TooManyConnections,        // 53300
        PostgresErrorCodes.ConfigurationLimitExceeded, // 53400
        PostgresErrorCodes.ReadOnlySqlTransaction,    // 25006: a write reached a standby mid-failover
    ];

    /// <summary>True when <paramref name="exception"/> (or what it wraps) says the database or Redis could not be reached.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case DatabaseUnavailableException:
                case RetryLimitExceededException:
                case RedisConnectionException:
                case RedisTimeoutException:
                case TimeoutException:
                case SocketException:
                    return true;
                case PostgresException pg:
                    return UnavailableStates.Contains(pg.SqlState) || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                    return true;
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                    return true;
                case OperationCanceledException:
                    return false;
            }
        }

        return false;
    }
}
