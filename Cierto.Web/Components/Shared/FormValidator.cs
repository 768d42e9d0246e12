using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Cierto.Web.Components.Shared;

/// <summary>
/// Puts a FluentValidation validator's messages on an <see cref="EditForm"/>'s fields, in place of
/// <c>DataAnnotationsValidator</c>: the whole model when the form is sent, one field when it
/// changes (interactive forms). Messages come from the validator's rules, so a form, the API and
/// the domain say the same thing.
/// </summary>
public sealed class FormValidator : ComponentBase, IDisposable
{
    private EditContext? context;
    private ValidationMessageStore? store;

    [CascadingParameter]
    private EditContext? CurrentEditContext { get; set; }

    /// <summary>The validator of the form's model type.</summary>
    [Parameter]
    [EditorRequired]
    public IValidator Validator { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (CurrentEditContext is null)
        {
            throw new InvalidOperationException($"{nameof(FormValidator)} goes inside an EditForm.");
        }

        ArgumentNullException.ThrowIfNull(Validator);
        if (ReferenceEquals(context, CurrentEditContext))
        {
            return;
        }

        Detach();
        context = CurrentEditContext;
        store = new ValidationMessageStore(context);
        context.OnValidationRequested += ValidateModel;
        context.OnFieldChanged += ValidateField;
    }

    public void Dispose() => Detach();

    private void ValidateModel(object? sender, ValidationRequestedEventArgs e)
    {
        store!.Clear();
        foreach (var failure in Validate().Errors)
        {
            store.Add(context!.Field(failure.PropertyName), failure.ErrorMessage);
        }

        context!.NotifyValidationStateChanged();
    }

    private void ValidateField(object? sender, FieldChangedEventArgs e)
    {
        var field = e.FieldIdentifier;
        if (!ReferenceEquals(field.Model, context!.Model))
        {
            return;
        }

        store!.Clear(field);
        store.Add(field, Validate().Errors.Where(f => f.PropertyName == field.FieldName).Select(f => f.ErrorMessage));
        context.NotifyValidationStateChanged();
    }

    private FluentValidation.Results.ValidationResult Validate() =>
        Validator.Validate(new ValidationContext<object>(context!.Model));

    private void Detach()
    {
        if (context is not null)
        {
            context.OnValidationRequested -= ValidateModel;
            context.OnFieldChanged -= ValidateField;
        }
    }
}
