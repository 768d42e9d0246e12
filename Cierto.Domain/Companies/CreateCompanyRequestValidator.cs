using Cierto.Domain.Common.Validation;

namespace Cierto.Domain.Companies;

public sealed class CreateCompanyRequestValidator : CiertoValidator<CreateCompanyRequest>
{
    public CreateCompanyRequestValidator()
    {
        Include(new NewCompanyValidator());
    }
}
