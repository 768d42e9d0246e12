namespace Cierto.Tests.Infrastructure;

/// <summary>The checkout the tests run from: the folder that holds Cierto.Blazor.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cierto.Blazor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Cierto.Blazor.sln above {AppContext.BaseDirectory}.");
    });

    public static string FullPath => Found.Value;
}
