using Npgsql;

namespace Cierto.Tests.Infrastructure;

/// <summary>
/// A fingerprint of every table of a PostgreSQL database (row count and an MD5 of every row's
/// text), so a test can tell that a round of requests wrote nothing, and name the table if it did.
/// </summary>
public static class DatabaseChecksum
{
    /// <summary>Table name → "rows:md5" for every ordinary table of the public schema but <paramref name="except"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfAsync(string connectionString, IReadOnlyCollection<string> except)
    {
        ArgumentNullException.ThrowIfNull(except);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !except.Contains(t)))
        {
            var quoted = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
#pragma warning disable CA2100 // the table names come from pg_tables, quoted
            await using var sum = new NpgsqlCommand($"SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM {quoted} t", connection);
#pragma warning restore CA2100
            sums[table] = (string)(await sum.ExecuteScalarAsync())!;
        }

        return sums;
    }

    /// <summary>The tables whose fingerprint differs (or that appeared or went away).</summary>
    public static IReadOnlyList<string> Changed(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)).Order(StringComparer.Ordinal).ToList();
    }
}
