using System.Globalization;
using System.Net;
using Cierto.Domain.Localization;
using MimeKit;

namespace Cierto.Web.Infrastructure.Mail;

/// <summary>
/// Every message Cierto sends, each built from one template into an HTML body with a plain-text
/// alternative, in the current language (the outbox sets the recipient's). Values are HTML-encoded;
/// links are absolute, from <c>Cierto:PublicBaseUrl</c>.
/// </summary>
public sealed class MailTemplates(IConfiguration configuration)
{
    public const string BaseUrlKey = "Cierto:PublicBaseUrl";
    public const string FromKey = "Cierto:Mail:From";

    public Uri BaseUrl { get; } = new(configuration[BaseUrlKey] is { Length: > 0 } url ? url.TrimEnd('/') + "/" : "http://localhost:5080/");

    private string From => configuration[FromKey] is { Length: > 0 } from ? from : "Cierto <no-reply@cierto.local>";

    public string Link(string relative) => new Uri(BaseUrl, relative.TrimStart('/')).ToString();

    /// <summary>
    /// The buyer's order page, always on the public address: the mail, the API and the page's own
    /// "Pay by card" build it here, so a checkout started again asks Stripe with the same return
    /// addresses under the same idempotency key (Stripe refuses a key reused with other parameters).
    /// </summary>
    public string OrderPage(string reference, string key) => Link($"orders/{Uri.EscapeDataString(reference)}?key={Uri.EscapeDataString(key)}");

    public MimeMessage ResetPassword(string to, string name, string link) => Build(to, Texts.Get("Reset your Cierto password"),
        Hello(name),
        [Texts.Get("Someone (hopefully you) asked to reset the password of your Cierto account."), Texts.Get("If it was not you, ignore this message; your password stays as it is.")],
        (Texts.Get("Choose a new password"), link));

    public MimeMessage ConfirmEmail(string to, string name, string link) => Build(to, Texts.Get("Confirm your email address for Cierto"),
        Hello(name),
        [Texts.Get("Please confirm that this is your email address. Until you do, nobody can use it to join a company on Cierto."), Texts.Get("If you did not ask for a Cierto account, ignore this message.")],
        (Texts.Get("Confirm my email"), link));

    public MimeMessage SetPassword(string to, string name, string companyName, string link) => Build(to, Texts.Format("Your Cierto account for {0}", companyName),
        Hello(name),
        [Texts.Format("Cierto support has set up {0} on Cierto, with you as its company admin.", companyName), Texts.Get("Choose a password to start.")],
        (Texts.Get("Choose my password"), link));

    public MimeMessage WorkerAwaitingApproval(string to, string adminName, string workerName, string link) => Build(to, Texts.Get("A new worker is waiting for your approval on Cierto"),
        Hello(adminName),
        [Texts.Format("Someone who calls themselves \u201c{0}\u201d joined your company with its join code and confirmed their email address.", workerName), Texts.Get("Check who it is on the Workers page, then approve or reject the request.")],
        (Texts.Get("Review join requests"), link));

    public MimeMessage JoinCodeNotFound(string to, string name, string link) => Build(to, Texts.Get("Your request to join a company on Cierto"),
        Hello(name),
        [Texts.Get("Someone (hopefully you) asked to join a company on Cierto with this email address, but the join code did not match any company."), Texts.Get("Check the code with your company admin and try again. If it was not you, ignore this message.")],
        (Texts.Get("Try again"), link));

    public MimeMessage WorkerDecided(string to, string name, string companyName, bool approved, string link) => approved
        ? Build(to, Texts.Format("You can now use Cierto at {0}", companyName), Hello(name), [Texts.Format("Your request to join {0} was approved. Sign in to see the free equipment.", companyName)], (Texts.Get("Sign in"), link))
        : Build(to, Texts.Format("Your request to join {0}", companyName), Hello(name), [Texts.Format("Your request to join {0} on Cierto was not approved. If you think this is a mistake, talk to your company admin.", companyName)], null);

    public MimeMessage CompanyRegistered(string to, string name, string companyName, string joinCode, string link) => Build(to, Texts.Format("{0} is registered on Cierto", companyName),
        Hello(name),
        [Texts.Format("{0} is now on Cierto and you are its company admin.", companyName), Texts.Format("Workers join with the join code {0}. You can change it, and choose whether joins need your approval, on the Workers page.", joinCode)],
        (Texts.Get("Open Cierto"), link));

    public MimeMessage InviteCodeIssued(string to, string code, string identificationNumber, DateTimeOffset expiresAt, string link) => Build(to, Texts.Get("Your Cierto invite code"),
        Texts.Get("Hello,"),
        [Texts.Format("Here is your invite code to register the company with identification number {0} on Cierto: {1}", identificationNumber, code), Texts.Format("It can be used once and is valid until {0} UTC.", expiresAt.UtcDateTime.ToString("g", CultureInfo.CurrentCulture))],
        (Texts.Get("Register the company"), link));

    /// <summary>Anyone can place an order for any address, so this mail carries nothing the requester typed: only our reference, plan, amount and link.</summary>
    public MimeMessage OrderPlaced(string to, string reference, string planName, string amount, bool bankTransfer, string? bankDetails, string link) => Build(to, Texts.Format("Your Cierto order {0}", reference),
        Texts.Get("Hello,"),
        bankTransfer
            ? [Texts.Format("Thank you for ordering Cierto {0}. Order {1}: {2}.", planName, reference, amount),
                bankDetails is null ? Texts.Format("Please transfer {0} with the reference {1}. The invoice is on your order page.", amount, reference) : Texts.Format("Please transfer {0} with the reference {1} to {2}. The invoice is on your order page.", amount, reference, bankDetails),
                Texts.Get("As soon as the payment arrives we mail you the invite code that registers your company.")]
            : [Texts.Format("Thank you for ordering Cierto {0}. Order {1}: {2}.", planName, reference, amount), Texts.Get("If you have not paid yet, pay by card on your order page. As soon as the payment is confirmed we mail you the invite code that registers your company.")],
        (Texts.Get("Open your order"), link));

    public MimeMessage EquipmentForceReleased(string to, string name, string equipmentName, string reason, string link) => Build(to, Texts.Format("{0} was released by your company admin", equipmentName),
        Hello(name),
        [Texts.Format("Your company admin ended your use of {0}.", equipmentName), Texts.Format("Reason: {0}", reason)],
        (Texts.Get("See my equipment"), link));

    public MimeMessage LongUseSummary(string to, string name, int thresholdHours, IReadOnlyList<string> items, string link) => Build(to, Texts.Plural("{0} items held longer than {1} hours", items.Count, thresholdHours),
        Hello(name),
        [Texts.Plural("These items have been in use for more than {0} hours:", thresholdHours), .. items],
        (Texts.Get("Open the dashboard"), link));

    public MimeMessage BookingReminder(string to, string name, string equipmentName, string startsAt, string endsAt, string link) => Build(to, Texts.Format("Your booking of {0} starts {1}", equipmentName, startsAt),
        Hello(name),
        [Texts.Format("You have booked {0} from {1} to {2}.", equipmentName, startsAt, endsAt), Texts.Get("Activate it with the code on its label when you take it. If you no longer need it, cancel the booking so others can use it.")],
        (Texts.Get("See my bookings"), link));

    public MimeMessage BookingOverdue(string to, string name, string equipmentName, string endedAt, string link) => Build(to, Texts.Format("Please return {0}: your booking has ended", equipmentName),
        Hello(name),
        [Texts.Format("Your booking of {0} ended {1}, and you still have it.", equipmentName, endedAt), Texts.Get("Please return it and deactivate it in Cierto, or ask your company admin to extend the booking.")],
        (Texts.Get("See my equipment"), link));

    public MimeMessage BookingOverdueToAdmin(string to, string adminName, string workerName, string equipmentName, string endedAt, string link) => Build(to, Texts.Format("{0} is overdue", equipmentName),
        Hello(adminName),
        [Texts.Format("{0}'s booking of {1} ended {2}, and they still have it. They were reminded.", workerName, equipmentName, endedAt)],
        (Texts.Get("Open the dashboard"), link));

    public MimeMessage BookingBlockedToBooker(string to, string name, string equipmentName, string startsAt, string link) => Build(to, Texts.Format("{0} is not back yet", equipmentName),
        Hello(name),
        [Texts.Format("Your booking of {0} started {1}, but someone else still has the item. They have been asked to return it, and your company admins can see it on their dashboard.", equipmentName, startsAt)],
        (Texts.Get("See my bookings"), link));

    public MimeMessage BookingBlockedToHolder(string to, string name, string equipmentName, string startsAt, string link) => Build(to, Texts.Format("Please return {0}: it is booked", equipmentName),
        Hello(name),
        [Texts.Format("{0} is booked by someone else from {1}, and you still have it. Please return it and deactivate it in Cierto.", equipmentName, startsAt)],
        (Texts.Get("See my equipment"), link));

    private static string Hello(string name) => Texts.Format("Hello {0},", name);

    private MimeMessage Build(string to, string subject, string greeting, IReadOnlyList<string> paragraphs, (string Text, string Url)? action)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;

        var text = new List<string> { greeting, string.Empty };
        var html = new System.Text.StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(Languages.Of(CultureInfo.CurrentUICulture)).Append("\"><body style=\"font-family:system-ui,Arial,sans-serif;color:#222;line-height:1.5\">");
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
            html.Append("<p style=\"font-size:12px;color:#555\">").Append(WebUtility.HtmlEncode(Texts.Get("Or open this link:"))).Append(' ').Append(WebUtility.HtmlEncode(a.Url)).Append("</p>");
        }

        text.Add("— Cierto");
        html.Append("<p>— Cierto</p></body></html>");
        message.Body = new BodyBuilder { TextBody = string.Join("\n", text), HtmlBody = html.ToString() }.ToMessageBody();
        return message;
    }
}
