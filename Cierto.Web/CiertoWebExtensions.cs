using System.Globalization;
using Cierto.Domain;
using Cierto.Domain.Adapters.Redis;
using Cierto.Domain.Billing;
using Cierto.Domain.Data;
using Cierto.Domain.Limits;
using Cierto.Domain.Live;
using Cierto.Domain.Localization;
using Cierto.Domain.Telemetry;
using Cierto.Domain.Usage;
using Cierto.Domain.Users;
using Cierto.Web.Api;
using Cierto.Web.Components;
using Cierto.Web.Components.Account;
using Cierto.Web.Endpoints;
using Cierto.Web.Infrastructure;
using Cierto.Web.Infrastructure.Billing;
using Cierto.Web.Infrastructure.Identity;
using Cierto.Web.Infrastructure.Limits;
using Cierto.Web.Infrastructure.Localization;
using Cierto.Web.Infrastructure.Mail;
using Cierto.Web.Infrastructure.Observability;
using Cierto.Web.Infrastructure.Outbox;
using Cierto.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;
using StackExchange.Redis;

namespace Cierto.Web;

public static class CiertoWebExtensions
{
    /// <summary>Prefix of every Redis key and channel, so several deployments can share one Redis.</summary>
    public const string RedisPrefixKey = "Cierto:Redis:Prefix";

    /// <summary>Trust X-Forwarded-* headers; set only when Cierto is reachable through its reverse proxy alone.</summary>
    public const string ForwardedHeadersKey = "Cierto:ForwardedHeaders";

    /// <summary>Mark every cookie Secure: TLS ends at the reverse proxy, so the app itself may see plain HTTP.</summary>
    public const string SecureCookiesKey = "Cierto:Cookies:SecureOnly";

    /// <summary>Offer the pseudo language (qps-Ploc: every text accented and 40 % longer) to find text that does not fit.</summary>
    public const string PseudoLanguageKey = "Cierto:Localization:Pseudo";

    public static WebApplicationBuilder AddCiertoWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mode = HostingMode.Resolve(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(TimeProvider.System);

        // Start-up failures are reported once, as a single line, by Program.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        builder.Services.AddStorage(mode, builder.Configuration, builder.Environment);
        builder.Services.AddSecurityHeaders(builder.Configuration);
        builder.Services.AddAllowedHosts(builder.Configuration, builder.Environment);
        builder.Services.AddCiertoDomain();
        builder.Services.AddScoped<ServiceRunner>();
        builder.Services.AddMail(mode);
        builder.Services.AddOutbox();
        builder.Services.AddIdentity();
        builder.Services.AddUi(builder.Configuration.GetSection("Cierto:Circuits"));
        builder.Services.AddLanguages(builder.Configuration);
        builder.Services.AddHealth(mode);
        builder.Services.AddCiertoApi(builder.Configuration);
        builder.Services.AddBilling(builder.Configuration);
        builder.AddObservability(mode);
        return builder;
    }

    /// <summary>Behind the reverse proxy (settings <see cref="ForwardedHeadersKey"/>, <see cref="SecureCookiesKey"/>): the client's address and scheme come from nginx, and every cookie is Secure.</summary>
    public static WebApplication UseReverseProxy(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetValue(ForwardedHeadersKey, false))
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }

        if (app.Configuration.GetValue(SecureCookiesKey, false))
        {
            app.UseCookiePolicy(new CookiePolicyOptions { Secure = CookieSecurePolicy.Always });
        }

        return app;
    }

    /// <summary>
    /// A page address that answers 404 (or another error without a body) shows the not-found page; the API keeps its problem answers.
    /// Only for GET and HEAD: a refused form post (a missing or forged antiforgery token) re-executed as a POST
    /// to the not-found page failed there, reading the form its token had not unlocked, and answered 500.
    /// </summary>
    public static WebApplication UsePageStatusPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)),
            ui => ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        return app;
    }

    /// <summary>The Blazor pages with their interactive circuits, and the form endpoints that belong to them (sign-out, language switch).</summary>
    public static WebApplication MapCiertoPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Listening from the start: the circuit meter reports changes, not totals.
        _ = app.Services.GetRequiredService<LiveLoad>();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapLanguageSwitch();
        return app;
    }

    /// <summary>
    /// Outside Development, when <c>AllowedHosts</c> is not set, Cierto answers only requests for the
    /// host of <c>Cierto:PublicBaseUrl</c>, plus loopback names for health checks and scrapes on the
    /// machine itself; any other Host header gets 400. <c>AllowedHosts</c> (";"-separated, "*" for
    /// any) overrides it.
    /// </summary>
    private static void AddAllowedHosts(this IServiceCollection services, ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration[AllowedHostsKey]))
        {
            return; // Development serves any host (a phone on the LAN by IP); an explicit setting stands as it is
        }

        var publicUrl = configuration[PublicBaseUrlKey] is { Length: > 0 } url ? url : DefaultPublicBaseUrl;
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new StartupConfigurationException(PublicBaseUrlKey, $"is '{publicUrl}', not an absolute http(s) address; allowed hosts follow it.");
        }

        string[] hosts = [uri.IdnHost, "localhost", "127.0.0.1", "[::1]"];
        services.Configure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowedHosts = [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    public const string AllowedHostsKey = "AllowedHosts";
    public const string PublicBaseUrlKey = "Cierto:PublicBaseUrl";
    public const string DefaultPublicBaseUrl = "http://localhost:5080";

    private static void AddStorage(this IServiceCollection services, HostingMode mode, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddCiertoDatabase(mode.Database);
        services.AddHostedService<DatabaseInitializer>();
        services.AddScoped<DemoSeeder>();

        // Keys live in the database, so a cookie or antiforgery token made by one instance is read by all.
        var keysEncrypted = services.AddDataProtection().SetApplicationName("Cierto").PersistKeysToDbContext<CiertoDbContext>().ProtectKeysFromConfiguration(configuration);
        if (!keysEncrypted && environment.IsProduction() && !configuration.GetValue(KeyEncryption.AllowUnencryptedKeysKey, false))
        {
            // A copy of the database (a backup, a replica) would otherwise be enough to forge a sign-in.
            throw new StartupConfigurationException(KeyEncryption.CertificatePathKey, $"is not set: Production refuses to keep the Data Protection keys unencrypted in the database. Set it to a PKCS#12 certificate (and {KeyEncryption.CertificatePasswordKey}), or set {KeyEncryption.AllowUnencryptedKeysKey}=true to accept unencrypted keys.");
        }

        services.AddSingleton(new DataProtectionStatus(keysEncrypted));

        services.AddSingleton<InMemoryRateCounter>();
        services.AddSingleton<ActivationThrottle>();
        services.AddSingleton<RequestLimits>();
        if (mode.UsesRedis)
        {
            services.AddSingleton<IEventBus>(sp => new CountingEventBus(
                new RedisEventBus(sp.GetRequiredService<IConnectionMultiplexer>(), RedisPrefix(sp), sp.GetRequiredService<ILogger<RedisEventBus>>()),
                sp.GetRequiredService<UsageMetrics>()));
            services.AddSingleton<IRateCounter>(sp => new RedisRateCounter(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                RedisPrefix(sp),
                sp.GetRequiredService<InMemoryRateCounter>()));
        }
        else
        {
            services.AddSingleton<IEventBus>(sp => new CountingEventBus(new InProcessEventBus(), sp.GetRequiredService<UsageMetrics>()));
            services.AddSingleton<IRateCounter>(sp => sp.GetRequiredService<InMemoryRateCounter>());
        }

        if (mode.RedisConnectionString is { } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ =>
            {
                var options = ConfigurationOptions.Parse(redis);
                // Keep serving when Redis is down at start or drops later; the client reconnects.
                options.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(options);
            });
        }
    }

    private static string RedisPrefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[RedisPrefixKey] is { Length: > 0 } prefix ? prefix : "cierto:";

    private static void AddIdentity(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<ActingUser>();
        services.AddScoped(sp => (CiertoSignInManager)sp.GetRequiredService<SignInManager<CiertoUser>>());
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();
        services.ConfigureApplicationCookie(SignInSessionCookie.Configure);
        authentication.AddBearerToken(IdentityConstants.BearerScheme, options =>
        {
            options.BearerTokenExpiration = TimeSpan.FromMinutes(30);
        });
        services.AddAuthorizationBuilder().AddCiertoPolicies();
        services.AddSingleton<TwoFactorRules>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, TwoFactorSetUpHandler>();
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = SignInSessionCookie.KeepSession;
        });

        services.AddIdentityCore<CiertoUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.User.AllowedUserNameCharacters = string.Empty; // the user name is the address: CiertoUserValidator checks it
                options.Password.RequiredLength = 10;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddUserValidator<CiertoUserValidator>()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddEntityFrameworkStores<CiertoDbContext>()
            .AddSignInManager<CiertoSignInManager>()
            .AddClaimsPrincipalFactory<CiertoClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
    }

    /// <summary>
    /// English and Russian (README "Languages"); <c>Cierto:Localization:Pseudo</c> also offers the
    /// pseudo language, for checking that longer texts fit.
    /// </summary>
    private static void AddLanguages(this IServiceCollection services, IConfiguration configuration)
    {
        var pseudo = configuration.GetValue(PseudoLanguageKey, false);
        services.AddLocalization();
        // Pages carry Cyrillic as it is, not as six-byte character references.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSingleton<IStringLocalizer<Texts>, TextsLocalizer>();
        services.AddTransient<MudBlazor.MudLocalizer, MudTexts>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            // Every region of each language formats dates and numbers; the texts come in the language alone.
            var cultures = CultureInfo.GetCultures(CultureTypes.AllCultures)
                .Where(c => Languages.All.Contains(c.TwoLetterISOLanguageName) && c.Name.Length > 0)
                .Concat(pseudo ? [CultureInfo.GetCultureInfo(Languages.Pseudo)] : [])
                .ToList();
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.DefaultRequestCulture = new RequestCulture(Languages.DefaultFormat(Languages.English), Languages.English);
            options.RequestCultureProviders = [new CiertoLanguage(pseudo)];
            options.ApplyCurrentCultureToResponseHeaders = true;
        });
    }

    private static void AddMail(this IServiceCollection services, HostingMode mode)
    {
        services.AddSingleton<MailTemplates>();
        services.AddSingleton<IMailSender>(sp =>
        {
            // SMTP when a host is configured; otherwise (embedded mode) .eml files in a pickup folder.
            var smtp = sp.GetRequiredService<IConfiguration>().GetSection(SmtpSettings.Section).Get<SmtpSettings>();
            return smtp is { Host.Length: > 0 }
                ? new SmtpMailSender(smtp)
                : new PickupFolderMailSender(Path.Combine(mode.DataDirectory, "mail-pickup"), sp.GetRequiredService<ILogger<PickupFolderMailSender>>());
        });
    }

    /// <summary>What runs after a request has committed: the outbox's handlers and dispatcher, the daily long-use summary and the booking notices that feed it.</summary>
    private static void AddOutbox(this IServiceCollection services)
    {
        services.AddScoped<OutboxHandlers>();
        services.AddSingleton<OutboxBacklog>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<LongUseSummaryScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<LongUseSummaryScheduler>());
        services.AddSingleton<BookingScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<BookingScheduler>());
    }

    private static void AddUi(this IServiceCollection services, IConfigurationSection circuits)
    {
        // Circuit options chosen for one instance holding thousands of open pages (README "Capacity"):
        // a network blip at a site or an nginx reload drops many sockets at once, and each page whose
        // circuit is retained comes back without a reload; each retained circuit costs about half a MB.
        services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            o.DisconnectedCircuitMaxRetained = circuits.GetValue("DisconnectedMaxRetained", 1_000);
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(circuits.GetValue("DisconnectedRetentionSeconds", 180));
        });
        services.AddMudServices();
        services.AddSingleton<LiveLoad>();
        services.AddScoped<Cierto.Web.Components.Shared.Notifier>();
        services.AddScoped<Cierto.Web.Components.Pages.Equipment.Components.EquipmentActions>();
        services.AddScoped<Cierto.Web.Components.Pages.Bookings.Components.BookingActions>();
        services.AddDatabaseDeveloperPageExceptionFilter();
    }

    /// <summary>Plans and seller details always; card payments through Stripe only when its secrets are configured.</summary>
    private static void AddBilling(this IServiceCollection services, ConfigurationManager configuration)
    {
        services.Configure<BillingSettings>(configuration.GetSection(BillingSettings.Section));
        services.Configure<StripeSettings>(configuration.GetSection(StripeSettings.Section));
        var stripe = configuration.GetSection(StripeSettings.Section).Get<StripeSettings>() ?? new StripeSettings();
        if (stripe.Configured)
        {
            services.AddSingleton(new Stripe.StripeClient(apiKey: stripe.SecretKey, apiBase: string.IsNullOrWhiteSpace(stripe.ApiBase) ? null : stripe.ApiBase));
            services.AddSingleton<ICardPayments, StripeCardPayments>();
        }
        else
        {
            services.AddSingleton<ICardPayments, NoCardPayments>();
        }
    }

    private static void AddHealth(this IServiceCollection services, HostingMode mode)
    {
        var checks = services.AddHealthChecks()
            .AddDbContextCheck<CiertoDbContext>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [HealthEndpoints.ReadyTag]);
        if (mode.UsesRedis)
        {
            // Degraded, not unhealthy: without Redis an instance still serves everything (live
            // updates reach its own pages only), so a load balancer must not take it out.
            checks.AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, tags: [HealthEndpoints.ReadyTag]);
        }
    }
}
