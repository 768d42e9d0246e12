namespace Cierto.Domain.Users;

public static class Roles
{
    public const string Root = "Root";
    public const string Support = "Support";
    public const string CompanyAdmin = "CompanyAdmin";
    public const string Worker = "Worker";

    public static readonly IReadOnlyList<string> All = [Root, Support, CompanyAdmin, Worker];

    /// <summary>Fixed ids: the roles are seeded by the first migration.</summary>
    public static readonly IReadOnlyDictionary<string, Guid> Ids = new Dictionary<string, Guid>
    {
        [Root] = new("6c1b0d4e-1f0a-4c55-9a39-000000000001"),
        [Support] = new("6c1b0d4e-1f0a-4c55-9a39-000000000002"),
        [CompanyAdmin] = new("6c1b0d4e-1f0a-4c55-9a39-000000000003"),
        [Worker] = new("6c1b0d4e-1f0a-4c55-9a39-000000000004"),
    };
}
