using Cierto.Domain.Equipment;
using Microsoft.EntityFrameworkCore;

namespace Cierto.Domain.Data;

/// <summary>
/// Row locks for decisions that read, then write (check-then-act): taken inside a transaction,
/// held until it ends. On PostgreSQL they are row locks; a SQLite transaction is begun IMMEDIATE,
/// so it already holds the database's single write lock and nothing more is needed.
/// </summary>
public static class RowLocks
{
    /// <summary>
    /// The item's status, read under a shared lock in the same statement: any number of activations
    /// may hold it; a status change waits for them (and they for it).
    /// </summary>
    public static async Task<EquipmentStatus> ShareLockedStatusAsync(this CiertoDbContext db, Guid id, CancellationToken cancellationToken)
    {
        ThrowIfNoTransaction(db);
        if (db.Provider != DatabaseProvider.Postgres)
        {
            return await db.Equipment.Where(e => e.Id == id).Select(e => e.Status).SingleAsync(cancellationToken);
        }

        var status = await db.Database.SqlQuery<int>($"""SELECT "Status" AS "Value" FROM "Equipment" WHERE "Id" = {id} FOR SHARE""").ToListAsync(cancellationToken);
        return (EquipmentStatus)status.Single();
    }

    /// <summary>Exclusive: waits for every activation of the item that is under way.</summary>
    public static Task LockEquipmentAsync(this CiertoDbContext db, Guid id, CancellationToken cancellationToken) =>
        LockAsync(db, $"""SELECT 1 FROM "Equipment" WHERE "Id" = {id} FOR UPDATE""", cancellationToken);

    /// <summary>One at a time per user (a worker's concurrent activations against the company's cap).</summary>
    public static Task LockUserAsync(this CiertoDbContext db, Guid id, CancellationToken cancellationToken) =>
        LockAsync(db, $"""SELECT 1 FROM "AspNetUsers" WHERE "Id" = {id} FOR UPDATE""", cancellationToken);

    /// <summary>One at a time per company (changes to who its admins are).</summary>
    public static Task LockCompanyAsync(this CiertoDbContext db, Guid id, CancellationToken cancellationToken) =>
        LockAsync(db, $"""SELECT 1 FROM "Companies" WHERE "Id" = {id} FOR UPDATE""", cancellationToken);

    /// <summary>One decision at a time per order (a payment confirmed twice, a refund racing a payment).</summary>
    public static Task LockOrderAsync(this CiertoDbContext db, Guid id, CancellationToken cancellationToken) =>
        LockAsync(db, $"""SELECT 1 FROM "Orders" WHERE "Id" = {id} FOR UPDATE""", cancellationToken);

    private static async Task LockAsync(CiertoDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        ThrowIfNoTransaction(db);
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync(sql, cancellationToken);
        }
    }

    private static void ThrowIfNoTransaction(CiertoDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A row lock is only held inside a transaction.");
        }
    }
}
