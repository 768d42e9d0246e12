using FluentValidation;

namespace Cierto.Domain.Common.Validation;

/// <summary>
/// The base of Cierto's validators: a field stops at its first failure, so a form shows one
/// message per field ("Name is required.", not also "Name contains characters…").
/// </summary>
public abstract class CiertoValidator<T> : AbstractValidator<T>
{
    protected CiertoValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
    }
}
