namespace Cierto.Tests.Infrastructure;

/// <summary>Cierto.Web's own build output, for tests that run the app as a process of its own.</summary>
public static class WebBuild
{
    /// <summary>The folder with Cierto.Web.dll and its runtimeconfig (which the test output lacks), same configuration as the tests.</summary>
    public static string Directory()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent!.Name;
        var directory = Path.Combine(RepositoryRoot.FullPath, "Cierto.Web", "bin", configuration, framework);
        Assert.True(File.Exists(Path.Combine(directory, "Cierto.Web.dll")), $"Build Cierto.Web first: {directory}");
        return directory;
    }
}
