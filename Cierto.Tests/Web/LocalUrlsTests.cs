using Cierto.Web.Infrastructure;

namespace Cierto.Tests.Web;

/// <summary>Return addresses of the sign-out and language forms: a path on this site or home, never another host.</summary>
public sealed class LocalUrlsTests
{
    [Theory]
    [InlineData("/admin/workers?x=1", "/admin/workers?x=1")]
    [InlineData("admin/workers", "/admin/workers")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("\\\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    public void A_return_address_stays_on_the_site(string? returnUrl, string expected) =>
        Assert.Equal(expected, LocalUrls.OrHome(returnUrl));
}
