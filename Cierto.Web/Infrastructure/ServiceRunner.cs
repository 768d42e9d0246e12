using Cierto.Domain.Data;

namespace Cierto.Web.Infrastructure;

/// <summary>
/// Runs one domain operation in its own DI scope, so an interactive circuit never holds a
/// DbContext (or a UserManager over one) for its whole lifetime. A database that cannot be
/// reached surfaces as <see cref="DatabaseUnavailableException"/>, a
/// <see cref="Cierto.Domain.Common.DomainException"/>: every page that shows a broken rule's
/// message shows "cannot reach the database, nothing was changed" the same way, and the circuit lives on.
/// </summary>
public sealed class ServiceRunner(IServiceScopeFactory scopes, DatabaseOutages outages)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await operation(scope.ServiceProvider.GetRequiredService<TService>());
        }
        catch (Exception ex) when (ex is not DatabaseUnavailableException && DatabaseFailures.IsTransient(ex))
        {
            outages.Report(ex, "page", typeof(TService).Name);
            throw new DatabaseUnavailableException(ex);
        }
    }

    public Task RunAsync<TService>(Func<TService, Task> operation)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync<TService, bool>(async service =>
        {
            await operation(service);
            return true;
        });
    }
}
