using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Cierto.Tests.Components;

/// <summary>bunit context with MudBlazor's services and loose JS interop, as every page needs.</summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    static ComponentTestBase()
    {
        // Pages load from the real database; on a busy two-core machine one second is not a
        // generous deadline. A waited-for state that never comes still fails, only later.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected ComponentTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddScoped<Cierto.Web.Components.Shared.Notifier>();
        Services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizer<Cierto.Domain.Localization.Texts>, Cierto.Web.Infrastructure.Localization.TextsLocalizer>();

        // The layout's error boundary reports outages; a page test replaces this with the app's own.
        Services.AddMetrics();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new Cierto.Domain.Data.DatabaseSettings(Cierto.Domain.Data.DatabaseProvider.Sqlite, "Data Source=:memory:"));
        Services.AddSingleton<Cierto.Domain.Data.DatabaseOutages>();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor has services that only dispose asynchronously; xunit's later Dispose() is then a no-op.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Renders as the app does (interactive server). Call after registering services.</summary>
    protected IRenderedComponent<T> RenderInteractive<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render(parameters);
    }
}
