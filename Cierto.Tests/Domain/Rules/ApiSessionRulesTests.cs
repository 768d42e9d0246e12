using Cierto.Domain.Accounts;

namespace Cierto.Tests.Domain.Rules;

/// <summary>A signed-in device of the mobile app, without a database: what it keeps of what the client sends, and revoking once.</summary>
public sealed class ApiSessionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_session_keeps_the_device_and_address_trimmed_and_the_stamp_it_was_opened_under()
    {
        var user = Guid.NewGuid();

        var session = new ApiSession(user, "  Ann's phone ", " 10.0.0.7 ", "STAMP", Now);

        Assert.Equal((user, "Ann's phone", "10.0.0.7", "STAMP", Now, Now, true), (session.UserId, session.DeviceName, session.LastClientAddress, session.SecurityStamp, session.CreatedAt, session.LastUsedAt, session.IsActive));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("phone\u0000")]
    public void A_missing_or_unclean_device_name_reads_as_an_unnamed_device(string? name) =>
        Assert.Equal("Unnamed device", new ApiSession(Guid.NewGuid(), name, null, "S", Now).DeviceName);

    [Fact]
    public void Long_names_and_addresses_are_cut_to_their_columns()
    {
        var exact = new ApiSession(Guid.NewGuid(), new string('d', ApiSession.DeviceNameMaxLength), new string('a', ApiSession.ClientAddressMaxLength), "S", Now);
        var longer = new ApiSession(Guid.NewGuid(), new string('d', ApiSession.DeviceNameMaxLength + 1), new string('a', ApiSession.ClientAddressMaxLength + 1), "S", Now);

        Assert.Equal((ApiSession.DeviceNameMaxLength, ApiSession.ClientAddressMaxLength), (exact.DeviceName.Length, exact.LastClientAddress!.Length));
        Assert.Equal((ApiSession.DeviceNameMaxLength, ApiSession.ClientAddressMaxLength), (longer.DeviceName.Length, longer.LastClientAddress!.Length));
    }

    [Fact]
    public void Using_a_session_moves_its_time_and_keeps_the_last_address_it_knew()
    {
        var session = new ApiSession(Guid.NewGuid(), "phone", "10.0.0.7", "S", Now);

        session.Used("10.0.0.8", Now.AddMinutes(5));
        Assert.Equal((Now.AddMinutes(5), "10.0.0.8"), (session.LastUsedAt, session.LastClientAddress));

        session.Used(null, Now.AddMinutes(9));
        Assert.Equal((Now.AddMinutes(9), "10.0.0.8"), (session.LastUsedAt, session.LastClientAddress));
    }

    [Fact]
    public void Revoking_keeps_the_first_time_and_reason()
    {
        var session = new ApiSession(Guid.NewGuid(), "phone", null, "S", Now);

        session.Revoke("logout", Now.AddHours(1));
        session.Revoke("reuse", Now.AddHours(2));

        Assert.Equal((false, (DateTimeOffset?)Now.AddHours(1), "logout"), (session.IsActive, session.RevokedAt, session.RevokedReason));
    }
}
