using System.Reflection;
using Cierto.Domain.Accounts;
using Cierto.Domain.Users;
using Cierto.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cierto.Tests.Domain;

/// <summary>
/// Every public method of the domain services refuses a missing argument by name before it does
/// anything, instead of failing somewhere inside with a NullReferenceException.
/// </summary>
public sealed class GuardTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly Type[] Services =
    [
        typeof(Cierto.Domain.Usage.UsageService), typeof(Cierto.Domain.Usage.UsageHistory),
        typeof(Cierto.Domain.Equipment.EquipmentService), typeof(Cierto.Domain.Equipment.EquipmentCsv),
        typeof(Cierto.Domain.Companies.CompanyService), typeof(Cierto.Domain.Companies.InviteCodeService),
        typeof(Cierto.Domain.Companies.CompanyRegistrationService), typeof(WorkerService), typeof(StaffService),
        typeof(ApiSessionService), typeof(AccountRecovery), typeof(Cierto.Domain.Billing.OrderService),
        typeof(Cierto.Domain.Outbox.OutboxService), typeof(Cierto.Domain.Live.DashboardSnapshots),
    ];

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var (type, method, parameter) in Guarded())
        {
            data.Add($"{type.Name}.{method.Name}({parameter.Name})#{method.MetadataToken}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_missing_argument_is_refused_by_name(string call)
    {
        var (type, method, parameter) = Guarded().Single(g => $"{g.Type.Name}.{g.Method.Name}({g.Parameter.Name})#{g.Method.MetadataToken}" == call);
        await using var scope = app.App.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService(type);
        var nullability = new NullabilityInfoContext();
        var arguments = method.GetParameters()
            .Select(p => p == parameter || (!p.ParameterType.IsValueType && nullability.Create(p).WriteState != NullabilityState.NotNull) ? null : Sample(p))
            .ToArray();

        var refused = await Assert.ThrowsAsync<ArgumentNullException>(async () =>
        {
            object? result;
            try
            {
                result = method.Invoke(service, arguments);
            }
            catch (TargetInvocationException thrown) when (thrown.InnerException is not null)
            {
                throw thrown.InnerException; // thrown before the method's first await
            }

            if (result is Task task)
            {
                await task;
            }
        });

        Assert.Equal(parameter.Name, refused.ParamName);
    }

    /// <summary>Each public method and each of its parameters that may not be null.</summary>
    private static IEnumerable<(Type Type, MethodInfo Method, ParameterInfo Parameter)> Guarded()
    {
        var nullability = new NullabilityInfoContext();
        return Services.SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .SelectMany(m => m.GetParameters()
                .Where(p => !p.ParameterType.IsValueType && nullability.Create(p).WriteState == NullabilityState.NotNull)
                .Select(p => (type, m, p))));
    }

    /// <summary>A harmless non-null value, so that only the parameter under test is missing.</summary>
    private static object? Sample(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(Actor))
        {
            return new Actor(Guid.NewGuid(), Guid.NewGuid(), [Roles.CompanyAdmin]);
        }

        if (type == typeof(string))
        {
            return "x";
        }

        if (type == typeof(Uri))
        {
            return new Uri("http://localhost/");
        }

        if (type == typeof(Stream))
        {
            return new MemoryStream();
        }

        if (type == typeof(TextReader) || type == typeof(TextWriter))
        {
            return type == typeof(TextReader) ? new StringReader(string.Empty) : new StringWriter();
        }

        if (type.IsValueType)
        {
            return parameter.HasDefaultValue ? parameter.DefaultValue : Activator.CreateInstance(type);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(IReadOnlyCollection<>) || generic == typeof(IReadOnlyList<>) || generic == typeof(IEnumerable<>)))
        {
            return Array.CreateInstance(type.GetGenericArguments()[0], 0);
        }

        // A request record: every constructor argument at its default.
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray());
    }
}
