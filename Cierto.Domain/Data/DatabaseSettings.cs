namespace Cierto.Domain.Data;

/// <summary>Which database Cierto talks to, already checked by the host.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString);

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
