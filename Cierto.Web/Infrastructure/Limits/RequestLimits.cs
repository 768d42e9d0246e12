using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cierto.Domain.Limits;
using Cierto.Domain.Localization;

namespace Cierto.Web.Infrastructure.Limits;

/// <summary>How many attempts one client address and one account get per window.</summary>
public sealed record LimitRule(int PerClient, int PerAccount, TimeSpan Window);

/// <summary>
/// Rate limits of the web forms and the API, counted in Redis so every instance shares them
/// (in-process in embedded mode). An attempt is counted against the client's address first and
/// only then, if that passes, against the account it names: a stranger hammering someone's
/// address is stopped by their own address's limit long before the victim's account limit is
/// spent, so the victim can still get in from their own device.
/// </summary>
public sealed class RequestLimits(IRateCounter counter, IConfiguration configuration)
{
    public const string Section = "Cierto:Limits";

    // Per-address limits leave room for a whole crew behind one site router (a morning's sign-ins,
    // a first day's joins); per-account limits are what stops guessing at one account.
    private static readonly Dictionary<LimitedAction, LimitRule> Defaults = new()
    {
        [LimitedAction.SignIn] = new(PerClient: 60, PerAccount: 10, TimeSpan.FromMinutes(1)),
        [LimitedAction.TwoFactor] = new(PerClient: 60, PerAccount: 10, TimeSpan.FromMinutes(1)),
        [LimitedAction.ForgotPassword] = new(PerClient: 10, PerAccount: 3, TimeSpan.FromMinutes(15)),
        [LimitedAction.ResetPassword] = new(PerClient: 20, PerAccount: 5, TimeSpan.FromMinutes(15)),
        [LimitedAction.Join] = new(PerClient: 30, PerAccount: 3, TimeSpan.FromMinutes(15)),
        [LimitedAction.RegisterCompany] = new(PerClient: 10, PerAccount: 5, TimeSpan.FromMinutes(15)),
        [LimitedAction.Activation] = new(PerClient: 600, PerAccount: 60, TimeSpan.FromMinutes(1)),
        [LimitedAction.Refresh] = new(PerClient: 300, PerAccount: 30, TimeSpan.FromMinutes(1)),
        [LimitedAction.Order] = new(PerClient: 20, PerAccount: 5, TimeSpan.FromMinutes(15)),
    };

    /// <summary>The rule in force: the default, overridden per field by <c>Cierto:Limits:&lt;Action&gt;:PerClient|PerAccount|WindowSeconds</c>.</summary>
    public LimitRule RuleFor(LimitedAction action)
    {
        var rule = Defaults[action];
        var section = configuration.GetSection($"{Section}:{action}");
        return new LimitRule(
            section.GetValue("PerClient", rule.PerClient),
            section.GetValue("PerAccount", rule.PerAccount),
            TimeSpan.FromSeconds(section.GetValue("WindowSeconds", rule.Window.TotalSeconds)));
    }

    /// <summary>
    /// Counts one attempt; returns how long to wait when a limit is spent, or null when the attempt
    /// may go ahead. A null <paramref name="client"/> (an interactive page, whose user is signed in)
    /// is counted by account alone.
    /// </summary>
    public async Task<TimeSpan?> TryAsync(LimitedAction action, IPAddress? client, string? account)
    {
        var rule = RuleFor(action);
        if (client is not null)
        {
            var byClient = await counter.HitAsync($"{action}:client:{ClientKey(client)}", rule.Window);
            if (byClient.Count > rule.PerClient)
            {
                return byClient.ResetsIn;
            }
        }

        if (string.IsNullOrWhiteSpace(account))
        {
            return null;
        }

        var byAccount = await counter.HitAsync($"{action}:account:{AccountKey(account)}", rule.Window);
        return byAccount.Count > rule.PerAccount ? byAccount.ResetsIn : null;
    }

    /// <summary>The message a person sees when a limit is spent.</summary>
    public static string Message(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return Texts.Plural("Too many attempts. Please wait {0} minutes and try again.", minutes);
    }

    /// <summary>An IPv6 client is counted by its /64 network: one subscriber usually holds the whole of it.</summary>
    private static string ClientKey(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return address.ToString();
    }

    /// <summary>Addresses and names are hashed, so Redis holds no personal data.</summary>
    private static string AccountKey(string account) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account.Trim().ToUpperInvariant())), 0, 16);
}
