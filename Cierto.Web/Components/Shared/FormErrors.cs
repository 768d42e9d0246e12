using Cierto.Domain.Common;
using Cierto.Domain.Localization;
using Microsoft.AspNetCore.Components.Forms;

namespace Cierto.Web.Components.Shared;

public static class FormErrors
{
    /// <summary>
    /// Shows a domain <see cref="ValidationException"/> next to the fields it names (the form
    /// model's properties carry the same names); returns what no field shows.
    /// </summary>
    public static string? Show(this ValidationMessageStore store, EditContext context, object model, ValidationException error)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(error);
        var unplaced = new List<string>();
        foreach (var (field, messages) in error.Errors)
        {
            if (model.GetType().GetProperty(field) is null)
            {
                unplaced.AddRange(messages);
                continue;
            }

            store.Add(new FieldIdentifier(model, field), messages);
        }

        context.NotifyValidationStateChanged();
        return unplaced.Count > 0 ? string.Join(" ", unplaced) : Texts.Get("Please correct the highlighted fields.");
    }
}
