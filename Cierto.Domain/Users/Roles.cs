namespace Cierto.Domain.Users;

public static class Roles
{
    public const string Root = "Root";
    public const string Support = "Support";
    public const string CompanyAdmin = "CompanyAdmin";
    public const string Worker = "Worker";

    public static readonly IReadOnlyList<string> All = [Root, Support, CompanyAdmin, Worker];
}
