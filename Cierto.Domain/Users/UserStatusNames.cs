using Cierto.Domain.Localization;

namespace Cierto.Domain.Users;

public static class UserStatusNames
{
    /// <summary>A status as a sentence names it ("pending"), in the reader's language.</summary>
    public static string Describe(UserStatus status) => status switch
    {
        UserStatus.Pending => Texts.Get("pending"),
        UserStatus.Active => Texts.Get("active"),
        UserStatus.Disabled => Texts.Get("disabled"),
        UserStatus.Rejected => Texts.Get("rejected"),
        _ => status.ToString(),
    };
}
