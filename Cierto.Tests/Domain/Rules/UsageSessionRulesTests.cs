using Cierto.Domain.Common;
using Cierto.Domain.Usage;

namespace Cierto.Tests.Domain.Rules;

/// <summary>The session's own rules, without a database.</summary>
public sealed class UsageSessionRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static UsageSession Session() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Start);

    [Fact]
    public void A_new_session_is_active_and_started_now()
    {
        var session = Session();

        Assert.True(session.IsActive);
        Assert.Equal(Start, session.StartedAt);
        Assert.Null(session.EndedAt);
    }

    [Fact]
    public void Ending_records_when_how_who_and_why()
    {
        var session = Session();
        var admin = Guid.NewGuid();

        session.End(SessionEndKind.ForceRelease, admin, "  Needed on site B  ", Start.AddHours(2));

        Assert.False(session.IsActive);
        Assert.Equal(Start.AddHours(2), session.EndedAt);
        Assert.Equal(SessionEndKind.ForceRelease, session.EndKind);
        Assert.Equal(admin, session.EndedById);
        Assert.Equal("Needed on site B", session.EndReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_reason_is_stored_as_none(string? reason)
    {
        var session = Session();

        session.End(SessionEndKind.Worker, Guid.NewGuid(), reason, Start.AddMinutes(5));

        Assert.Null(session.EndReason);
    }

    [Fact]
    public void A_session_ends_only_once()
    {
        var session = Session();
        session.End(SessionEndKind.Worker, Guid.NewGuid(), null, Start.AddMinutes(5));

        var again = Assert.Throws<DomainException>(() => session.End(SessionEndKind.ForceRelease, Guid.NewGuid(), "late", Start.AddMinutes(9)));

        Assert.Equal("session_ended", again.Code);
        Assert.Equal("This usage has already ended.", again.Message);
        Assert.Equal(Start.AddMinutes(5), session.EndedAt);
        Assert.Equal(SessionEndKind.Worker, session.EndKind);
    }

    [Fact]
    public void A_clock_behind_the_start_ends_the_session_at_its_start_never_before()
    {
        var session = Session();

        session.End(SessionEndKind.Worker, Guid.NewGuid(), null, Start.AddSeconds(-30));

        Assert.Equal(Start, session.EndedAt);
    }

    [Fact]
    public void A_rows_duration_runs_to_its_end_or_while_active_to_now()
    {
        var ended = new UsageRow(Guid.NewGuid(), Guid.NewGuid(), "Drill", null, Guid.NewGuid(), "Ann", Start, Start.AddMinutes(90), SessionEndKind.Worker, null);
        var active = ended with { EndedAt = null, EndKind = null };

        Assert.Equal(TimeSpan.FromMinutes(90), ended.Duration(Start.AddDays(3)));
        Assert.Equal(TimeSpan.FromMinutes(45), active.Duration(Start.AddMinutes(45)));
    }
}
