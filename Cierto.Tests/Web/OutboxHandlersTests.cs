using Cierto.Domain.Outbox;
using Cierto.Web.Infrastructure.Outbox;

namespace Cierto.Tests.Web;

public sealed class OutboxHandlersTests
{
    [Fact]
    public void Every_outbox_message_type_has_exactly_one_handler()
    {
        var kinds = typeof(IOutboxPayload).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOutboxPayload).IsAssignableFrom(t))
            .Select(t => (string)t.GetProperty(nameof(IOutboxPayload.Kind))!.GetValue(null)!)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(13, kinds.Count);
        Assert.Equal(kinds, OutboxHandlers.Kinds.Order(StringComparer.Ordinal));
    }
}
