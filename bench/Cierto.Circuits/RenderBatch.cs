using System.Buffers.Binary;
using System.Text;

namespace Cierto.Circuits;

/// <summary>
/// Reads the binary render batch the server sends with <c>JS.RenderBatch</c> (the format of
/// RenderBatchWriter in dotnet/aspnetcore: updated components, reference frames, disposed ids, a
/// string table, then five section offsets). Enough to find text and event handlers; the load
/// scenarios only count and acknowledge batches.
/// </summary>
public sealed class RenderBatch
{
    private const int FrameSize = 20;
    private const int FrameElement = 1;
    private const int FrameText = 2;
    private const int FrameAttribute = 3;
    private const int FrameMarkup = 8;

    private readonly byte[] data;
    private readonly int framesStart;
    private readonly int frameCount;
    private readonly int stringTable;
    private readonly int stringCount;

    public RenderBatch(long id, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Id = id;
        this.data = data;
        var end = data.Length;
        var referenceFrames = Int(end - 16);
        stringTable = Int(end - 4);
        stringCount = (end - 20 - stringTable) / 4;
        frameCount = Int(referenceFrames);
        framesStart = referenceFrames + 4;
        UpdatedComponents = Int(Int(end - 20));
    }

    public long Id { get; }

    /// <summary>How many component diffs a batch carries, without reading the rest of it.</summary>
    public static int CountUpdatedComponents(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var table = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(data.Length - 20));
        return BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(table));
    }

    public int Size => data.Length;

    public int UpdatedComponents { get; }

    /// <summary>Every string the batch carries (text, markup, attribute values, element names).</summary>
    public IEnumerable<string> Strings => Enumerable.Range(0, stringCount).Select(String);

    public bool Contains(string text) => Strings.Any(s => s.Contains(text, StringComparison.Ordinal));

    /// <summary>Elements the batch inserts, with their attributes, event handlers and inner text.</summary>
    /// <summary>
    /// Event handlers set on an element already on the page (an attribute edit: the frame stands
    /// alone, outside any element's subtree). A re-render gives a handler a new id this way.
    /// </summary>
    public IEnumerable<(string EventName, ulong Handler)> ReassignedHandlers()
    {
        for (var i = 0; i < frameCount; i++)
        {
            switch (FrameType(i))
            {
                case FrameElement:
                    i += Math.Max(1, Int(FrameAt(i) + 4)) - 1; // past the element's own attributes and children
                    break;
                case FrameAttribute:
                    var handler = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(FrameAt(i) + 12));
                    if (handler != 0)
                    {
                        yield return (StringAt(FrameAt(i) + 4) ?? string.Empty, handler);
                    }

                    break;
            }
        }
    }

    public IEnumerable<RenderedElement> Elements()
    {
        for (var i = 0; i < frameCount; i++)
        {
            if (FrameType(i) != FrameElement)
            {
                continue;
            }

            var subtree = Int(FrameAt(i) + 4);
            var name = StringAt(FrameAt(i) + 8) ?? string.Empty;
            var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
            var handlers = new Dictionary<string, ulong>(StringComparer.Ordinal);
            var text = new StringBuilder();
            for (var j = i + 1; j < i + subtree && j < frameCount; j++)
            {
                var at = FrameAt(j);
                switch (FrameType(j))
                {
                    case FrameAttribute when j == i + 1 || FrameType(j - 1) == FrameAttribute:
                        var attribute = StringAt(at + 4) ?? string.Empty;
                        var handler = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at + 12));
                        if (handler != 0)
                        {
                            handlers[attribute] = handler;
                        }
                        else
                        {
                            attributes[attribute] = StringAt(at + 8);
                        }

                        break;
                    case FrameText or FrameMarkup:
                        text.Append(StringAt(at + 4));
                        break;
                }
            }

            yield return new RenderedElement(name, attributes, handlers, text.ToString());
        }
    }

    private int FrameAt(int index) => framesStart + (index * FrameSize);

    private int FrameType(int index) => Int(FrameAt(index));

    private string? StringAt(int offset)
    {
        var index = Int(offset);
        return index < 0 ? null : String(index);
    }

    private string String(int index)
    {
        var position = Int(stringTable + (index * 4));
        var length = 0;
        var shift = 0;
        byte b;
        do
        {
            b = data[position++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return Encoding.UTF8.GetString(data, position, length);
    }

    private int Int(int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
}

/// <summary>An element as a render batch inserts it.</summary>
public sealed record RenderedElement(string Name, IReadOnlyDictionary<string, string?> Attributes, IReadOnlyDictionary<string, ulong> Handlers, string Text);
