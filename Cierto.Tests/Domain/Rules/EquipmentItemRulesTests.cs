using Cierto.Domain.Common;
using Cierto.Domain.Equipment;

namespace Cierto.Tests.Domain.Rules;

/// <summary>The item's own rules, without a database: what each change stores and which are refused once it is retired.</summary>
public sealed class EquipmentItemRulesTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static EquipmentItem Item() => new(Guid.NewGuid(), "  Hilti drill ", " HD-1 ", "  ", "Red case\n", Created);

    [Fact]
    public void A_new_item_is_available_trimmed_with_blanks_as_none_and_a_code_of_its_own()
    {
        var item = Item();

        Assert.Equal(("Hilti drill", "HD-1", null, "Red case"), (item.Name, item.InventoryNumber, item.Category, item.Description));
        Assert.Equal(EquipmentStatus.Available, item.Status);
        Assert.Equal((Created, Created), (item.CreatedAt, item.UpdatedAt));
        Assert.Equal(EquipmentItem.ActivationCodeLength, item.ActivationCode.Length);
        Assert.NotEqual(Item().ActivationCode, item.ActivationCode);
    }

    [Fact]
    public void Every_change_moves_the_time_and_the_version_on()
    {
        var item = Item();
        var changes = new Action<DateTimeOffset>[]
        {
            now => item.Update("Drill", null, "Tools", null, now),
            item.MarkOutOfService,
            item.ReturnToService,
            item.RegenerateActivationCode,
            item.Retire,
        };

        for (var i = 0; i < changes.Length; i++)
        {
            var (version, at) = (item.Version, Created.AddMinutes(i + 1));
            changes[i](at);
            Assert.Equal(at, item.UpdatedAt);
            Assert.NotEqual(version, item.Version);
        }

        Assert.Equal(Created, item.CreatedAt);
    }

    [Fact]
    public void Status_changes_follow_each_other()
    {
        var item = Item();
        var code = item.ActivationCode;

        item.MarkOutOfService(Created);
        Assert.Equal(EquipmentStatus.OutOfService, item.Status);
        item.ReturnToService(Created);
        Assert.Equal(EquipmentStatus.Available, item.Status);
        item.RegenerateActivationCode(Created);
        Assert.NotEqual(code, item.ActivationCode);
        item.Retire(Created);
        Assert.Equal(EquipmentStatus.Retired, item.Status);
    }

    [Fact]
    public void A_retired_item_is_not_put_back_to_work()
    {
        var item = Item();
        item.Retire(Created);
        var version = item.Version;

        var outOfService = Assert.Throws<DomainException>(() => item.MarkOutOfService(Created.AddDays(1)));
        var back = Assert.Throws<DomainException>(() => item.ReturnToService(Created.AddDays(1)));

        Assert.All(new[] { outOfService, back }, e => Assert.Equal(("equipment_retired", "This item is retired."), (e.Code, e.Message)));
        Assert.Equal((EquipmentStatus.Retired, version, Created), (item.Status, item.Version, item.UpdatedAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_name_is_always_there(string? name) =>
        Assert.ThrowsAny<ArgumentException>(() => Item().Update(name!, null, null, null, Created));
}
