namespace Cierto.Web.Components.Shared;

public enum NoticeKind
{
    Success,
    Info,
    Warning,
    Error,
}

public sealed record Notice(Guid Id, NoticeKind Kind, string Text)
{
    /// <summary>Errors interrupt (role="alert"); everything else is polite status news.</summary>
    public bool IsProblem => Kind == NoticeKind.Error;
}

/// <summary>
/// The short messages a page shows after an action ("Invite code issued", "Could not save…"),
/// one list per circuit. <see cref="NotificationArea"/> renders them: successes in a status
/// region, errors in an alert region, so a screen reader (and a test) can tell them apart —
/// which MudBlazor's snackbar, always role="alert", cannot.
/// </summary>
public sealed class Notifier
{
    private const int MaxShown = 4;
    private readonly Lock gate = new();
    private readonly List<Notice> notices = [];

    public event Action<Notice>? Added;

    public event Action? Changed;

    public IReadOnlyList<Notice> Current
    {
        get
        {
            lock (gate)
            {
                return [.. notices];
            }
        }
    }

    public void Success(string text) => Add(NoticeKind.Success, text);

    public void Info(string text) => Add(NoticeKind.Info, text);

    public void Warning(string text) => Add(NoticeKind.Warning, text);

    public void Error(string text) => Add(NoticeKind.Error, text);

    public void Dismiss(Guid id)
    {
        lock (gate)
        {
            if (notices.RemoveAll(n => n.Id == id) == 0)
            {
                return;
            }
        }

        Changed?.Invoke();
    }

    private void Add(NoticeKind kind, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var notice = new Notice(Guid.NewGuid(), kind, text);
        lock (gate)
        {
            // The same message twice in a row is one message.
            notices.RemoveAll(n => n.Kind == kind && n.Text == text);
            notices.Add(notice);
            if (notices.Count > MaxShown)
            {
                notices.RemoveAt(0);
            }
        }

        Added?.Invoke(notice);
        Changed?.Invoke();
    }
}
