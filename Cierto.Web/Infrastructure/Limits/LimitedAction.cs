namespace Cierto.Web.Infrastructure.Limits;

/// <summary>What a client may do only so often: each has its own limits (see <see cref="RequestLimits"/>).</summary>
public enum LimitedAction
{
    SignIn,
    ForgotPassword,
    ResetPassword,
    Join,
    RegisterCompany,
    Activation,
    Refresh,
    Order,
}
