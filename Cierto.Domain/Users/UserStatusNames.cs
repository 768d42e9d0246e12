using Cierto.Domain.Localization;

namespace Cierto.Domain.Users;

public static class UserStatusNames
{
    /// <summary>A status as a sentence names it ("pending"), in the reader's language.</summary>
    public static string Describe(UserStatus status) => status switch
    {
        UserStatus.Pending => Texts.Get("pending (status)"),
        UserStatus.Active => Texts.Get("active (status)"),
        UserStatus.Disabled => Texts.Get("disabled (status)"),
        _ => status.ToString(),
    };
}
