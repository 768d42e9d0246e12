using Cierto.Domain.Localization;

namespace Cierto.Domain.Companies;

/// <summary>Company and invite code states as people read them, in their language.</summary>
public static class StatusNames
{
    public static string Describe(CompanyStatus status) => status switch
    {
        CompanyStatus.Active => Texts.Get("active (status)"),
        CompanyStatus.Suspended => Texts.Get("suspended"),
        _ => status.ToString(),
    };

    public static string Describe(InviteCodeState state) => state switch
    {
        InviteCodeState.Active => Texts.Get("active (status)"),
        InviteCodeState.Redeemed => Texts.Get("redeemed"),
        InviteCodeState.Expired => Texts.Get("expired"),
        InviteCodeState.Revoked => Texts.Get("revoked"),
        _ => state.ToString(),
    };
}
