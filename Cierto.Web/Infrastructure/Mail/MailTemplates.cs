using System.Net;
using MimeKit;

namespace Cierto.Web.Infrastructure.Mail;

/// <summary>
/// Every message Cierto sends, each built from one template into an HTML body with a plain-text
/// alternative. Values are HTML-encoded; links are absolute, from <c>Cierto:PublicBaseUrl</c>.
/// </summary>
public sealed class MailTemplates(IConfiguration configuration)
{
    public const string BaseUrlKey = "Cierto:PublicBaseUrl";
    public const string FromKey = "Cierto:Mail:From";

    public Uri BaseUrl { get; } = new(configuration[BaseUrlKey] is { Length: > 0 } url ? url.TrimEnd('/') + "/" : "http://localhost:5080/");

    private string From => configuration[FromKey] is { Length: > 0 } from ? from : "Cierto <no-reply@cierto.local>";

    public string Link(string relative) => new Uri(BaseUrl, relative.TrimStart('/')).ToString();

    public MimeMessage ResetPassword(string to, string name, string link) => Build(to, "Reset your Cierto password",
        $"Hello {name},",
        ["Someone (hopefully you) asked to reset the password of your Cierto account.", "If it was not you, ignore this message; your password stays as it is."],
        ("Choose a new password", link));

    public MimeMessage ConfirmEmail(string to, string name, string link) => Build(to, "Confirm your email address for Cierto",
        $"Hello {name},",
        ["Please confirm that this is your email address. Until you do, nobody can use it to join a company on Cierto.", "If you did not ask for a Cierto account, ignore this message."],
        ("Confirm my email", link));

    public MimeMessage SetPassword(string to, string name, string companyName, string link) => Build(to, $"Your Cierto account for {companyName}",
        $"Hello {name},",
        [$"Cierto support has set up {companyName} on Cierto, with you as its company admin.", "Choose a password to start."],
        ("Choose my password", link));

    public MimeMessage WorkerAwaitingApproval(string to, string adminName, string workerName, string link) => Build(to, "A new worker is waiting for your approval on Cierto",
        $"Hello {adminName},",
        [$"Someone who calls themselves \u201c{workerName}\u201d joined your company with its join code and confirmed their email address.", "Check who it is on the Workers page, then approve or reject the request."],
        ("Review join requests", link));

    public MimeMessage JoinCodeNotFound(string to, string name, string link) => Build(to, "Your request to join a company on Cierto",
        $"Hello {name},",
        ["Someone (hopefully you) asked to join a company on Cierto with this email address, but the join code did not match any company.", "Check the code with your company admin and try again. If it was not you, ignore this message."],
        ("Try again", link));

    public MimeMessage WorkerDecided(string to, string name, string companyName, bool approved, string link) => approved
        ? Build(to, $"You can now use Cierto at {companyName}", $"Hello {name},", [$"Your request to join {companyName} was approved. Sign in to see the free equipment."], ("Sign in", link))
        : Build(to, $"Your request to join {companyName}", $"Hello {name},", [$"Your request to join {companyName} on Cierto was not approved. If you think this is a mistake, talk to your company admin."], null);

    public MimeMessage CompanyRegistered(string to, string name, string companyName, string joinCode, string link) => Build(to, $"{companyName} is registered on Cierto",
        $"Hello {name},",
        [$"{companyName} is now on Cierto and you are its company admin.", $"Workers join with the join code {joinCode}. You can change it, and choose whether joins need your approval, on the Workers page."],
        ("Open Cierto", link));

    public MimeMessage InviteCodeIssued(string to, string code, string identificationNumber, DateTimeOffset expiresAt, string link) => Build(to, "Your Cierto invite code",
        "Hello,",
        [$"Here is your invite code to register the company with identification number {identificationNumber} on Cierto: {code}", $"It can be used once and is valid until {expiresAt:yyyy-MM-dd HH:mm} UTC."],
        ("Register the company", link));

    public MimeMessage OrderPlaced(string to, string name, string reference, string planName, string amount, bool bankTransfer, string? bankDetails, string link) => Build(to, $"Your Cierto order {reference}",
        $"Hello {name},",
        bankTransfer
            ? [$"Thank you for ordering Cierto {planName}. Order {reference}: {amount}.", $"Please transfer {amount} with the reference {reference}{(bankDetails is null ? string.Empty : " to " + bankDetails)}. The invoice is on your order page.", "As soon as the payment arrives we mail you the invite code that registers your company."]
            : [$"Thank you for ordering Cierto {planName}. Order {reference}: {amount}.", "If you have not paid yet, pay by card on your order page. As soon as the payment is confirmed we mail you the invite code that registers your company."],
        ("Open your order", link));

    public MimeMessage EquipmentForceReleased(string to, string name, string equipmentName, string reason, string link) => Build(to, $"{equipmentName} was released by your company admin",
        $"Hello {name},",
        [$"Your company admin ended your use of {equipmentName}.", $"Reason: {reason}"],
        ("See my equipment", link));

    public MimeMessage LongUseSummary(string to, string name, int thresholdHours, IReadOnlyList<string> items, string link) => Build(to, $"{items.Count} item(s) held longer than {thresholdHours} hours",
        $"Hello {name},",
        [$"These items have been in use for more than {thresholdHours} hours:", .. items],
        ("Open the dashboard", link));

    private MimeMessage Build(string to, string subject, string greeting, IReadOnlyList<string> paragraphs, (string Text, string Url)? action)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;

        var text = new List<string> { greeting, string.Empty };
        var html = new System.Text.StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:system-ui,Arial,sans-serif;color:#222;line-height:1.5\">");
        html.Append("<p>").Append(WebUtility.HtmlEncode(greeting)).Append("</p>");
        foreach (var paragraph in paragraphs)
        {
            text.Add(paragraph);
            text.Add(string.Empty);
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph)).Append("</p>");
        }

        if (action is { } a)
        {
            text.Add($"{a.Text}: {a.Url}");
            text.Add(string.Empty);
            html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(a.Url)).Append("\" style=\"background:#1f5f8b;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none\">")
                .Append(WebUtility.HtmlEncode(a.Text)).Append("</a></p>");
            html.Append("<p style=\"font-size:12px;color:#555\">Or open this link: ").Append(WebUtility.HtmlEncode(a.Url)).Append("</p>");
        }

        text.Add("— Cierto");
        html.Append("<p>— Cierto</p></body></html>");
        message.Body = new BodyBuilder { TextBody = string.Join("\n", text), HtmlBody = html.ToString() }.ToMessageBody();
        return message;
    }
}
