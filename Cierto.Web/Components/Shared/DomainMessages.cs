using Cierto.Domain.Common;
using Cierto.Domain.Equipment;
using Cierto.Domain.Localization;
using Cierto.Domain.Usage;

namespace Cierto.Web.Components.Shared;

/// <summary>How pages word what the domain reports, in one place.</summary>
public static class DomainMessages
{
    /// <summary>A broken rule as a page shows it. Staff reach a company page without picking a company: they are told where to pick one.</summary>
    public static string Explain(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code == "company_required" ? Texts.Get("Open a company from Companies first.") : error.Message;
    }

    /// <summary>How a usage session ended; the worker who held it reads "you" where others read "by the worker".</summary>
    public static string SessionEnd(SessionEndKind? kind, string? reason, bool toTheWorker = false) => kind switch
    {
        SessionEndKind.ForceRelease => Texts.Format("Released by an admin: {0}", reason ?? string.Empty),
        SessionEndKind.Worker => toTheWorker ? Texts.Get("you") : Texts.Get("by the worker"),
        _ => string.Empty,
    };
}
