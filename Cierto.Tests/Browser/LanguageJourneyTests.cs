using System.Text.RegularExpressions;
using Cierto.Domain.Accounts;
using Cierto.Domain.Companies;
using Cierto.Domain.Equipment;
using Cierto.Domain.Localization;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cierto.Tests.Browser;

/// <summary>Cierto in Russian from the first page to the mail, and every page in the pseudo language at phone size.</summary>
public sealed class LanguageJourneyTests(BrowserHost host) : BrowserTest(host)
{
    /// <summary>Page overflow, and text an element cuts off (hidden overflow or an ellipsis), outside scrollable containers.</summary>
    private static readonly string[] AnonymousPages = ["Account/Login", "join", "register-company", "pricing", "Account/ForgotPassword", ""];

    private static readonly string[] WorkerPages = ["activate", "my-equipment", "free-equipment", "history", "Account/Manage"];

    private const string LayoutProblemsScript = """
        () => {
          const problems = [];
          const over = document.documentElement.scrollWidth - window.innerWidth;
          if (over > 1) problems.push(`the page scrolls sideways by ${over}px`);
          const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
          for (const el of document.querySelectorAll('body *')) {
            if (!el.checkVisibility() || el.closest('.sr-only, .mud-popover:not(.mud-popover-open), #blazor-error-ui, #components-reconnect-modal')) continue;
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0)) continue;
            const s = getComputedStyle(el), r = el.getBoundingClientRect();
            if (r.width <= 1 || r.height <= 1) continue;
            const clipsX = (s.overflowX === 'hidden' || s.overflowX === 'clip' || s.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1;
            const clipsY = (s.overflowY === 'hidden' || s.overflowY === 'clip') && el.scrollHeight > el.clientHeight + 1;
            const outside = r.right > window.innerWidth + 1 && !scrolls(el);
            if (clipsX || clipsY || outside) problems.push(`${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join('.')} "${el.textContent.trim().slice(0, 50)}"${outside ? ` ends at ${Math.round(r.right)}px` : ' is cut off'}`);
          }
          return problems;
        }
        """;

    [Fact]
    public async Task A_Russian_speaking_company_registers_a_worker_joins_and_activates_and_their_mail_is_in_Russian() => await JourneyAsync(async () =>
    {
        var identification = $"RU{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var (_, support) = await Host.CreateUserAsync(Roles.Support);
        var invite = await Host.RunAsync<InviteCodeService, IssuedInviteCode>(s => s.IssueAsync(support, new(identification, 7, null)));
        var adminEmail = $"vladelec-{Guid.NewGuid():N}@browser.cierto.test";

        var admin = await OpenAsync(configure: o => o.Locale = "ru-RU");
        await admin.GotoAsync("register-company");
        await Expect(admin.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Регистрация компании" })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Зарегистрировать компанию" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Исправьте выделенные поля." })).ToBeVisibleAsync();
        await Expect(admin.GetByText("Заполните поле «Код приглашения».")).ToBeVisibleAsync(); // the same words as the API's

        await Field(admin, "Код приглашения").FillAsync(invite.Code);
        await Field(admin, "Название компании").FillAsync("Стройка и сыновья");
        await Field(admin, "Идентификационный номер компании").FillAsync(identification);
        await Field(admin, "Отображаемое имя").FillAsync("Ольга Иванова");
        await Field(admin, "Электронная почта").FillAsync(adminEmail);
        await Field(admin, "Пароль").FillAsync("Owner-pass-2026!");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Зарегистрировать компанию" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("/admin/workers"));
        await WaitInteractiveAsync(admin);
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Ваша компания зарегистрирована" })).ToBeVisibleAsync();
        var joinCode = (await admin.GetByTestId("join-code").InnerTextAsync()).Trim();
        await ExpectAccessibleAsync(admin);

        var registered = await Host.MailAsync(adminEmail, "Компания «Стройка и сыновья» зарегистрирована в Cierto");
        Assert.StartsWith("Здравствуйте, Ольга Иванова!", registered.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Работники присоединяются по коду {joinCode}.", registered.TextBody, StringComparison.Ordinal);

        Actor owner;
        Guid companyId;
        await using (var db = Host.Db())
        {
            var user = await db.Users.SingleAsync(u => u.Email == adminEmail);
            Assert.Equal("ru", user.Language); // they signed up in Russian: their mail stays Russian
            (owner, companyId) = (Actor.For(user, [Roles.CompanyAdmin]), user.CompanyId!.Value);
        }

        await Host.RunAsync<CompanyService>(s => s.SetJoinPolicyAsync(owner, JoinPolicy.AutoApprove, companyId));
        var item = await ItemAsync(owner, "Перфоратор Hilti");

        var workerEmail = $"rabochiy-{Guid.NewGuid():N}@browser.cierto.test";
        var worker = await OpenAsync(Screen.Phone, configure: o => o.Locale = "ru-RU");
        await worker.GotoAsync("join");
        await Field(worker, "Код присоединения").FillAsync(joinCode);
        await Field(worker, "Отображаемое имя").FillAsync("Иван Петров");
        await Field(worker, "Электронная почта").FillAsync(workerEmail);
        await Field(worker, "Пароль").FillAsync("Worker-pass-2026!");
        await worker.GetByRole(AriaRole.Button, new() { Name = "Подать заявку" }).ClickAsync();
        await Expect(worker.GetByTestId("form-success")).ToContainTextAsync("Спасибо! Заявка принята.");

        var confirm = await Host.MailedLinkAsync(workerEmail, "Account/ConfirmEmail");
        var confirmation = await Host.MailAsync(workerEmail, "Подтвердите адрес электронной почты для Cierto");
        Assert.Contains("Подтвердить адрес", confirmation.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"ru\">", confirmation.HtmlBody, StringComparison.Ordinal);
        await worker.GotoAsync(confirm);
        await Expect(worker.GetByRole(AriaRole.Status).Filter(new() { HasText = "Спасибо — адрес подтверждён." })).ToBeVisibleAsync();

        await worker.GotoAsync("Account/Login");
        await Field(worker, "Электронная почта").FillAsync(workerEmail);
        await Field(worker, "Пароль").FillAsync("Worker-pass-2026!");
        await worker.GetByRole(AriaRole.Button, new() { Name = "Войти", Exact = true }).ClickAsync();
        await worker.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));

        await GotoAsync(worker, "activate");
        await Expect(worker.GetByRole(AriaRole.Heading, new() { Name = "Активация оборудования" })).ToBeVisibleAsync();
        await Field(worker, "Код активации").FillAsync("WRONG-1");
        await worker.GetByRole(AriaRole.Button, new() { Name = "Активировать", Exact = true }).ClickAsync();
        await Expect(worker.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Такого кода активации нет ни у одного предмета." })).ToBeVisibleAsync();
        await Field(worker, "Код активации").FillAsync(item.ActivationCode);
        await worker.GetByRole(AriaRole.Button, new() { Name = "Активировать", Exact = true }).ClickAsync();
        await Expect(worker.GetByRole(AriaRole.Status).Filter(new() { HasText = "Теперь вы пользуетесь: Перфоратор Hilti." })).ToBeVisibleAsync();
        await ExpectAccessibleAsync(worker);

        await GotoAsync(worker, "my-equipment");
        await Expect(worker.GetByRole(AriaRole.Heading, new() { Name = "Моё оборудование" })).ToBeVisibleAsync();
        var held = worker.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Перфоратор Hilti" });
        await Expect(held).ToContainTextAsync(new Regex(@"С сегодня \d{2}:\d{2}"));
        await Expect(held.GetByRole(AriaRole.Button, new() { Name = "Освободить: Перфоратор Hilti" })).ToBeVisibleAsync();
        await ExpectAccessibleAsync(worker);
    });

    [Fact]
    public async Task The_switcher_on_the_sign_in_page_turns_the_page_Russian_and_back() => await JourneyAsync(async () =>
    {
        var page = await OpenAsync(Screen.Phone);
        await page.GotoAsync("Account/Login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Русский — Change language" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Войти", Level = 1 })).ToBeVisibleAsync();
        Assert.EndsWith("/Account/Login", page.Url, StringComparison.Ordinal);
        await ExpectAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "English — Сменить язык" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
    });

    [Fact]
    public async Task In_the_pseudo_language_no_page_cuts_off_or_overflows_its_text_at_phone_size() => await JourneyAsync(async () =>
    {
        var (companyId, _, _, admin) = await CompanyAsync();
        var item = await ItemAsync(admin, "Rotary laser", "LS-1");
        var (workerEmail, worker, _) = await UserAsync(Roles.Worker, companyId);
        await Host.RunAsync<Cierto.Domain.Usage.UsageService, Cierto.Domain.Usage.ActivationResult>(s => s.ActivateAsync(worker, item.ActivationCode));
        var adminEmail = (await UserAsync(Roles.CompanyAdmin, companyId)).Email;
        await using (var db = Host.Db())
        {
            await db.Users.Where(u => u.Email == workerEmail || u.Email == adminEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.Language, Languages.Pseudo));
        }

        var problems = new List<string>();
        var anonymous = await PseudoPageAsync();
        foreach (var path in AnonymousPages)
        {
            problems.AddRange(await LayoutProblemsAsync(anonymous, path, interactive: false));
        }

        var workerPage = await PseudoPageAsync();
        await PseudoSignInAsync(workerPage, workerEmail);
        foreach (var path in WorkerPages)
        {
            problems.AddRange(await LayoutProblemsAsync(workerPage, path, interactive: !path.StartsWith("Account", StringComparison.Ordinal)));
        }

        var adminPage = await PseudoPageAsync();
        await PseudoSignInAsync(adminPage, adminEmail);
        foreach (var path in new[] { "dashboard", "equipment", $"equipment/{item.Id}", "usage-history", "admin/workers" })
        {
            problems.AddRange(await LayoutProblemsAsync(adminPage, path, interactive: true));
        }

        Assert.True(problems.Count == 0, "In the pseudo language at 390 px:\n" + string.Join("\n", problems));
    });

    private async Task<IPage> PseudoPageAsync()
    {
        var page = await OpenAsync(Screen.Phone);
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=qps-Ploc|uic=qps-Ploc", Url = Host.BaseUrl.ToString() }]);
        return page;
    }

    private static async Task PseudoSignInAsync(IPage page, string email)
    {
        await page.GotoAsync("Account/Login");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(AppFixture.Password);
        await page.Locator("form[method=post]:has(#email) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
    }

    private static async Task<IEnumerable<string>> LayoutProblemsAsync(IPage page, string path, bool interactive)
    {
        await page.GotoAsync(path);
        if (interactive)
        {
            await WaitInteractiveAsync(page);
        }

        // The page is in the pseudo language (its texts bracketed), or the check proves nothing.
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", Languages.Pseudo);
        await Expect(page.Locator("#main")).ToContainTextAsync("·]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return (await page.EvaluateAsync<string[]>(LayoutProblemsScript)).Select(p => $"/{path}: {p}");
    }
}
