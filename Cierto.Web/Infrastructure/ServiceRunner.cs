namespace Cierto.Web.Infrastructure;

/// <summary>
/// Runs one domain operation in its own DI scope, so an interactive circuit never holds a
/// DbContext (or a UserManager over one) for its whole lifetime.
/// </summary>
public sealed class ServiceRunner(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(operation);
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync<TService>(Func<TService, Task> operation)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(operation);
        await using var scope = scopes.CreateAsyncScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
