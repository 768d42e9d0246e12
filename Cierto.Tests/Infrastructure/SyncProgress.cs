namespace Cierto.Tests.Infrastructure;

/// <summary>Records every report as it is made (<see cref="Progress{T}"/> posts them later, out of order).</summary>
internal sealed class SyncProgress(List<int> values) : IProgress<int>
{
    public void Report(int value) => values.Add(value);
}
