namespace Cierto.Web.Infrastructure.Limits;

/// <summary>What a client may do only so often: each has its own limits (see <see cref="RequestLimits"/>).</summary>
public enum LimitedAction
{
    SignIn,

    /// <summary>The second step of signing in: an authenticator code or a recovery code, counted per account by user id.</summary>
    TwoFactor,
    ForgotPassword,
    ResetPassword,
    Join,
    RegisterCompany,
    Activation,
    Refresh,
    Order,
}
