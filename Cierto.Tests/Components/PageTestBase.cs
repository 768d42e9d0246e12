using System.Security.Claims;
using Bunit;
using Cierto.Domain.Accounts;
using Cierto.Tests.Infrastructure;
using Cierto.Web.Components.Pages.Equipment.Components;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Components;

/// <summary>
/// bunit for the feature pages: the component runs in bunit, its domain calls go to the real
/// services and PostgreSQL database of the class's <see cref="AppFixture"/>.
/// </summary>
public abstract class PageTestBase : ComponentTestBase
{
    protected PageTestBase(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        App = app;
        var outages = app.App.Services.GetRequiredService<Cierto.Domain.Data.DatabaseOutages>();
        var runner = new ServiceRunner(app.App.Services.GetRequiredService<IServiceScopeFactory>(), outages);
        Services.AddSingleton(outages);
        Services.AddSingleton(runner);
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<EquipmentActions>();
        Services.AddScoped<Cierto.Web.Infrastructure.Identity.ActingUser>();
        Services.AddSingleton(app.App.Services.GetRequiredService<Cierto.Domain.Live.IEventBus>());
        Services.AddSingleton(app.App.Services.GetRequiredService<Cierto.Domain.Live.DashboardFeed>());
        Services.AddSingleton(app.App.Services.GetRequiredService<Cierto.Web.Infrastructure.Limits.RequestLimits>());
    }

    protected AppFixture App { get; }

    /// <summary>Signs the component in as this actor, with the claims the real cookie carries.</summary>
    protected void SignIn(Actor actor, string name = "Test User")
    {
        ArgumentNullException.ThrowIfNull(actor);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, actor.UserId.ToString()),
            new(CiertoClaims.DisplayName, name),
        };
        if (actor.CompanyId is { } company)
        {
            claims.Add(new Claim(CiertoClaims.CompanyId, company.ToString()));
        }

        using (var db = App.Db())
        {
            // Pages re-read the acting user before they act: the cookie's stamp must be the stored one.
            var stamp = db.Users.Where(u => u.Id == actor.UserId).Select(u => u.SecurityStamp).SingleOrDefault();
            if (stamp is not null)
            {
                claims.Add(new Claim(new Microsoft.AspNetCore.Identity.ClaimsIdentityOptions().SecurityStampClaimType, stamp));
            }
        }

        AddAuthorization().SetAuthorized(name).SetRoles([.. actor.Roles]).SetClaims([.. claims]);
    }
}
