using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Localization;

/// <summary>The switcher, the culture cookie across instances, and the API's problems in the reader's language.</summary>
public sealed partial class LanguageSwitchTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_language_chosen_on_one_instance_is_spoken_by_the_other()
    {
        await using var instanceB = new CiertoAppFactory(app.Database, new Dictionary<string, string?> { ["Cierto:Redis:Prefix"] = app.App.RedisPrefix });
        var (response, cookies) = await SwitchAsync(app.App.CreateClient(NoCookies), "ru", "/Account/Login", signInCookie: null);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.OriginalString);
        var culture = Assert.Single(cookies, c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));

        var page = await GetAsync(instanceB.CreateClient(NoCookies), "/Account/Login", culture, acceptLanguage: "en-US");
        Assert.Contains("<html lang=\"ru\">", page, StringComparison.Ordinal);
        Assert.Contains(">Войти<", page, StringComparison.Ordinal);
        Assert.Contains(">English", page, StringComparison.Ordinal); // the way back
    }

    [Fact]
    public async Task A_signed_in_persons_choice_is_kept_in_their_account_and_follows_them()
    {
        var (companyId, _, _) = await app.CreateCompanyAsync();
        var (worker, _) = await app.CreateUserAsync(Roles.Worker, companyId);
        var client = app.App.CreateClient(NoCookies);
        var (_, signedIn) = await client.PostFormWithCookiesAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = worker.Email!, ["Input.Password"] = AppFixture.Password });
        var auth = Assert.Single(signedIn, c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));

        var (response, _) = await SwitchAsync(client, "ru", "/my-equipment", auth);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using (var db = app.Db())
        {
            Assert.Equal("ru", await db.Users.Where(u => u.Id == worker.Id).Select(u => u.Language).SingleAsync());
        }

        // Another browser (no culture cookie, an English Accept-Language) signs in: the account's language wins.
        var other = app.App.CreateClient(NoCookies);
        var (_, again) = await other.PostFormWithCookiesAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = worker.Email!, ["Input.Password"] = AppFixture.Password });
        var page = await GetAsync(other, "/my-equipment", Assert.Single(again, c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)), acceptLanguage: "en-GB");
        Assert.Contains("<html lang=\"ru\">", page, StringComparison.Ordinal);
        Assert.Contains("Моё оборудование", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_switcher_refuses_a_foreign_return_address_and_an_unknown_language()
    {
        var (toElsewhere, _) = await SwitchAsync(app.App.CreateClient(NoCookies), "ru", "//evil.example/", signInCookie: null);
        Assert.Equal("/", toElsewhere.Headers.Location?.OriginalString);
        var (unknown, cookies) = await SwitchAsync(app.App.CreateClient(NoCookies), "qps-Ploc", "/", signInCookie: null);
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.DoesNotContain(cookies, c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_API_answers_problems_in_the_requests_language_with_the_same_codes()
    {
        var client = app.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email = AppFixture.Email(), password = "wrong-password-1" }) };
        request.Headers.AcceptLanguage.ParseAdd("ru-RU");
        var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_credentials", problem!["code"].GetString());
        Assert.Equal("Вход не выполнен", problem["title"].GetString());
        Assert.Equal("Неверный адрес или пароль, либо для этой учётной записи вход невозможен.", problem["detail"].GetString());

        using var english = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email = AppFixture.Email(), password = "wrong-password-1" }) };
        english.Headers.AcceptLanguage.ParseAdd("en-US");
        var englishProblem = await (await client.SendAsync(english)).Content.ReadFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>();
        Assert.Equal("invalid_credentials", englishProblem!["code"].GetString());
        Assert.Equal("The email or password is not correct, or the account cannot sign in.", englishProblem["detail"].GetString());
    }

    [Fact]
    public async Task A_validation_problem_names_each_field_in_Russian()
    {
        var client = app.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workers/join") { Content = JsonContent.Create(new { joinCode = "", displayName = "", email = "not-an-address", password = "x" }) };
        request.Headers.AcceptLanguage.ParseAdd("ru");
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"validation\"", body, StringComparison.Ordinal);
        Assert.Contains("Некоторые поля заполнены неверно.", body, StringComparison.Ordinal);
        Assert.Contains("Введите правильный адрес электронной почты, например name@example.com.", body, StringComparison.Ordinal);
    }

    private static readonly WebApplicationFactoryClientOptions NoCookies = new() { AllowAutoRedirect = false, HandleCookies = false };

    /// <summary>Posts the switcher's form as the page renders it (antiforgery token and cookie from the same page).</summary>
    private static async Task<(HttpResponseMessage Response, List<string> SetCookies)> SwitchAsync(HttpClient client, string language, string returnUrl, string? signInCookie)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        if (signInCookie is not null)
        {
            get.Headers.Add("Cookie", signInCookie);
        }

        var page = await client.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var form = LanguageForm().Match(html);
        Assert.True(form.Success, "The page has no language switcher.");
        var cookies = page.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]).ToList() : [];
        if (signInCookie is not null)
        {
            cookies.Add(signInCookie);
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, "/language")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = BrowserlessSignIn.AntiforgeryTokenOf(form.Value),
                ["returnUrl"] = returnUrl,
                ["language"] = language,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        var response = await client.SendAsync(post);
        return (response, response.Headers.TryGetValues("Set-Cookie", out var after) ? after.Select(c => c.Split(';')[0]).ToList() : []);
    }

    private static async Task<string> GetAsync(HttpClient client, string path, string cookie, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("<form action=\"language\"[\\s\\S]*?</form>")]
    private static partial Regex LanguageForm();
}
