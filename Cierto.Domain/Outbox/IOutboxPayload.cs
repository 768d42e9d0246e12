namespace Cierto.Domain.Outbox;

/// <summary>Something the outbox carries; <see cref="Kind"/> picks its handler.</summary>
public interface IOutboxPayload
{
    static abstract string Kind { get; }
}
