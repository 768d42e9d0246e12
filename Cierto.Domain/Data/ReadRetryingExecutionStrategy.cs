using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cierto.Domain.Data;

/// <summary>
/// Retries reads, never writes. A query outside a transaction is repeated briefly when the
/// database drops away (a restart, a failover, a broken pooled connection), so a page or API read
/// rides out a blip. A write (SaveChanges, ExecuteUpdate, raw SQL) or anything inside a
/// transaction runs once: when the connection breaks after the statement was sent, nobody knows
/// whether it committed, and repeating it could do it twice. The caller gets the failure
/// (<see cref="DatabaseFailures"/>) and the person decides; writes that matter are idempotent
/// by design (an activation already held by the same worker answers success again).
/// </summary>
public sealed class ReadRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, Delays.Length, Delays[^1])
{
    /// <summary>About 1.5 s in all: long enough for a pooled connection to be replaced, short enough that a person gets an answer.</summary>
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1000)];

    public override TResult Execute<TState, TResult>(TState state, Func<DbContext, TState, TResult> operation, Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return IsRetryableRead(state) ? base.Execute(state, operation, verifySucceeded) : operation(Dependencies.CurrentContext.Context, state);
    }

    public override Task<TResult> ExecuteAsync<TState, TResult>(
        TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return IsRetryableRead(state) ? base.ExecuteAsync(state, operation, verifySucceeded, cancellationToken) : operation(Dependencies.CurrentContext.Context, state, cancellationToken);
    }

    /// <summary>
    /// EF Core runs a query through the strategy with the query's own enumerator as the state;
    /// SaveChanges and bulk or raw statements pass something else. Inside a transaction nothing is
    /// repeated: the transaction is lost with the connection.
    /// </summary>
    private bool IsRetryableRead<TState>(TState state) =>
        StateKind<TState>.IsQuery && state is not null && Dependencies.CurrentContext.Context.Database.CurrentTransaction is null;

    /// <summary>Decided once per state type, not per statement.</summary>
    private static class StateKind<TState>
    {
        public static readonly bool IsQuery = typeof(TState).GetInterfaces().Any(i =>
            i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IAsyncEnumerator<>) || i.GetGenericTypeDefinition() == typeof(IEnumerator<>)));
    }

    protected override bool ShouldRetryOn(Exception exception) => DatabaseFailures.IsTransient(exception);

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var attempt = ExceptionsEncountered.Count - 1;
        return attempt < Delays.Length ? Delays[attempt] : null;
    }
}
