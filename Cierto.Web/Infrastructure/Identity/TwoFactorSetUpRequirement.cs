using Microsoft.AspNetCore.Authorization;

namespace Cierto.Web.Infrastructure.Identity;

/// <summary>Part of every page policy: met unless the user still has to set up two-factor authentication.</summary>
public sealed class TwoFactorSetUpRequirement : IAuthorizationRequirement;
