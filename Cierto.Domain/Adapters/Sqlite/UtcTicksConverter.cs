using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cierto.Domain.Adapters.Sqlite;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks, which order and compare as numbers.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
