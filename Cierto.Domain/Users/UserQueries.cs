namespace Cierto.Domain.Users;

internal static class UserQueries
{
    /// <summary>Users whose display name or email contains the search text, ignoring case; all users for an empty search.</summary>
    public static IQueryable<CiertoUser> Matching(this IQueryable<CiertoUser> users, string? search)
    {
        if (Common.Text.SearchTerm(search) is not { } found)
        {
            return users;
        }

        var term = found.ToUpperInvariant();
        return users.Where(u => u.DisplayName.ToUpper().Contains(term) || u.NormalizedEmail!.Contains(term));
    }
}
