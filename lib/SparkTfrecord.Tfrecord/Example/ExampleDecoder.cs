using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>
/// Decodes serialized tf.train.Example and tf.train.SequenceExample payloads without building message objects: it
/// validates the whole payload once, then hands out views whose values are read straight from the payload's bytes.
/// It follows Google.Protobuf's parsing exactly: unpacked and packed lists, unknown fields skipped, repeated
/// <c>features</c> fields merged, a repeated key keeping its first position and its last value, a repeated list of the
/// same kind inside one Feature appended, a different kind replacing it. The views are valid until the next call.
/// Reuse one decoder per thread: after warm-up, decoding does not allocate.
/// </summary>
public sealed class ExampleDecoder
{
    private const int MaxGroupDepth = 100;
    private const uint FeaturesTag = (1 << 3) | Wire.LengthDelimited;
    private const uint FeatureListsTag = (2 << 3) | Wire.LengthDelimited;
    private const uint EntryKeyTag = (1 << 3) | Wire.LengthDelimited;
    private const uint EntryValueTag = (2 << 3) | Wire.LengthDelimited;
    private const uint UnpackedInt64Tag = (1 << 3) | Wire.Varint;
    private const uint UnpackedFloatTag = (1 << 3) | Wire.Fixed32;
    private const uint ListTag = (1 << 3) | Wire.LengthDelimited;

    internal FeatureSlot[] Slots = new FeatureSlot[16];
    internal Segment[] Segments = new Segment[16];
    internal FeatureSlot[] Frames = new FeatureSlot[16];
    internal ListSlot[] Lists = new ListSlot[8];
    private int _slotCount;
    private int _segmentCount;
    private int _frameCount;
    private int _listCount;

    /// <summary>Decodes a serialized tf.train.Example.</summary>
    /// <param name="payload">The record's payload.</param>
    /// <returns>A view of its features, valid until the next call on this decoder and while the payload is unchanged.</returns>
    /// <exception cref="TfRecordFormatException">The payload is not a valid Example.</exception>
    public FeaturesView DecodeExample(ReadOnlySpan<byte> payload)
    {
        Reset();
        int pos = 0;
        while (pos < payload.Length)
        {
            int fieldStart = pos;
            uint tag = ReadTag(payload, ref pos);
            if (tag == FeaturesTag)
            {
                int end = ReadLengthEnd(payload, ref pos, payload.Length);
                ParseFeatures(payload, pos, end, 0);
                pos = end;
            }
            else
            {
                Skip(payload, ref pos, payload.Length, tag, fieldStart, 0);
            }
        }

        return new FeaturesView(payload, this, 0, _slotCount);
    }

    /// <summary>Decodes a serialized tf.train.SequenceExample.</summary>
    /// <param name="payload">The record's payload.</param>
    /// <returns>A view of its context and feature lists, valid until the next call on this decoder.</returns>
    /// <exception cref="TfRecordFormatException">The payload is not a valid SequenceExample.</exception>
    public SequenceExampleView DecodeSequenceExample(ReadOnlySpan<byte> payload)
    {
        Reset();
        int pos = 0;
        while (pos < payload.Length)
        {
            int fieldStart = pos;
            uint tag = ReadTag(payload, ref pos);
            if (tag == FeaturesTag)
            {
                int end = ReadLengthEnd(payload, ref pos, payload.Length);
                ParseFeatures(payload, pos, end, 0);
                pos = end;
            }
            else if (tag == FeatureListsTag)
            {
                int end = ReadLengthEnd(payload, ref pos, payload.Length);
                ParseFeatureLists(payload, pos, end);
                pos = end;
            }
            else
            {
                Skip(payload, ref pos, payload.Length, tag, fieldStart, 0);
            }
        }

        return new SequenceExampleView(payload, this, _slotCount, _listCount);
    }

    /// <summary>
    /// Whether a payload looks like a SequenceExample: it has a <c>feature_lists</c> field (2), which an Example never
    /// has. Both messages parse either payload (unknown fields are skipped), so this is the only evidence; a
    /// SequenceExample without feature lists is indistinguishable from an Example.
    /// </summary>
    /// <param name="payload">A record's payload.</param>
    /// <returns>True if the payload has a top-level field 2 of wire type length-delimited.</returns>
    public static bool LooksLikeSequenceExample(ReadOnlySpan<byte> payload)
    {
        int pos = 0;
        while (pos < payload.Length)
        {
            if (!Wire.TryReadVarint(payload, ref pos, out ulong tag))
            {
                return false;
            }

            switch ((int)(tag & 7))
            {
                case Wire.LengthDelimited:
                    if (tag == FeatureListsTag)
                    {
                        return true;
                    }

                    if (!Wire.TryReadVarint(payload, ref pos, out ulong length) || length > (ulong)(payload.Length - pos))
                    {
                        return false;
                    }

                    pos += (int)length;
                    break;
                case Wire.Varint:
                    if (!Wire.TryReadVarint(payload, ref pos, out _))
                    {
                        return false;
                    }

                    break;
                case Wire.Fixed64:
                    pos += 8;
                    break;
                case Wire.Fixed32:
                    pos += 4;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    private void Reset()
    {
        _slotCount = 0;
        _segmentCount = 0;
        _frameCount = 0;
        _listCount = 0;
    }

    /// <summary>Parses the body of a Features message: map entries of key and Feature.</summary>
    private void ParseFeatures(ReadOnlySpan<byte> data, int pos, int end, int firstSlot)
    {
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag != ListTag)
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
                continue;
            }

            int entryEnd = ReadLengthEnd(data, ref pos, end);
            var slot = default(FeatureSlot);
            while (pos < entryEnd)
            {
                fieldStart = pos;
                uint entryTag = ReadTag(data, ref pos, entryEnd);
                if (entryTag == EntryKeyTag)
                {
                    int keyEnd = ReadLengthEnd(data, ref pos, entryEnd);
                    slot.NameStart = pos;
                    slot.NameLength = keyEnd - pos;
                    pos = keyEnd;
                }
                else if (entryTag == EntryValueTag)
                {
                    // Each value field is a fresh Feature (the last one wins), as Google.Protobuf reads map values.
                    int valueEnd = ReadLengthEnd(data, ref pos, entryEnd);
                    slot.Kind = FeatureKind.None;
                    slot.SegmentCount = 0;
                    slot.ValueCount = 0;
                    ParseFeature(data, pos, valueEnd, ref slot);
                    pos = valueEnd;
                }
                else
                {
                    Skip(data, ref pos, entryEnd, entryTag, fieldStart, 0);
                }
            }

            slot.Fingerprint = Fingerprint(data.Slice(slot.NameStart, slot.NameLength));
            int existing = FindSlot(data, Slots, firstSlot, _slotCount, slot.NameStart, slot.NameLength, slot.Fingerprint);
            if (existing >= 0)
            {
                Slots[existing] = slot; // a repeated key keeps its first position and takes the last value
            }
            else
            {
                if (_slotCount == Slots.Length)
                {
                    Array.Resize(ref Slots, Slots.Length * 2);
                }

                Slots[_slotCount++] = slot;
            }
        }
    }

    /// <summary>Parses the body of a FeatureLists message: map entries of key and FeatureList.</summary>
    private void ParseFeatureLists(ReadOnlySpan<byte> data, int pos, int end)
    {
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag != ListTag)
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
                continue;
            }

            int entryEnd = ReadLengthEnd(data, ref pos, end);
            var list = default(ListSlot);
            list.FrameFirst = _frameCount;
            while (pos < entryEnd)
            {
                fieldStart = pos;
                uint entryTag = ReadTag(data, ref pos, entryEnd);
                if (entryTag == EntryKeyTag)
                {
                    int keyEnd = ReadLengthEnd(data, ref pos, entryEnd);
                    list.NameStart = pos;
                    list.NameLength = keyEnd - pos;
                    pos = keyEnd;
                }
                else if (entryTag == EntryValueTag)
                {
                    int valueEnd = ReadLengthEnd(data, ref pos, entryEnd);
                    list.FrameFirst = _frameCount;
                    list.FrameCount = 0;
                    ParseFeatureList(data, pos, valueEnd, ref list);
                    pos = valueEnd;
                }
                else
                {
                    Skip(data, ref pos, entryEnd, entryTag, fieldStart, 0);
                }
            }

            list.Fingerprint = Fingerprint(data.Slice(list.NameStart, list.NameLength));
            int existing = -1;
            for (int i = 0; i < _listCount; i++)
            {
                ref ListSlot other = ref Lists[i];
                if (other.Fingerprint == list.Fingerprint
                    && data.Slice(other.NameStart, other.NameLength).SequenceEqual(data.Slice(list.NameStart, list.NameLength)))
                {
                    existing = i;
                    break;
                }
            }

            if (existing >= 0)
            {
                Lists[existing] = list;
            }
            else
            {
                if (_listCount == Lists.Length)
                {
                    Array.Resize(ref Lists, Lists.Length * 2);
                }

                Lists[_listCount++] = list;
            }
        }
    }

    private void ParseFeatureList(ReadOnlySpan<byte> data, int pos, int end, ref ListSlot list)
    {
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag != ListTag)
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
                continue;
            }

            int frameEnd = ReadLengthEnd(data, ref pos, end);
            var frame = default(FeatureSlot);
            ParseFeature(data, pos, frameEnd, ref frame);
            pos = frameEnd;
            if (_frameCount == Frames.Length)
            {
                Array.Resize(ref Frames, Frames.Length * 2);
            }

            Frames[_frameCount++] = frame;
            list.FrameCount++;
        }
    }

    /// <summary>Parses a Feature body into <paramref name="slot"/>: which list is set and where its values are.</summary>
    private void ParseFeature(ReadOnlySpan<byte> data, int pos, int end, ref FeatureSlot slot)
    {
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            var kind = (FeatureKind)(tag >> 3);
            if ((tag & 7) != Wire.LengthDelimited || kind is < FeatureKind.Bytes or > FeatureKind.Int64)
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
                continue;
            }

            int listEnd = ReadLengthEnd(data, ref pos, end);
            if (kind != slot.Kind)
            {
                // Another member of the oneof replaces the list; the same member again is merged (values appended).
                slot.Kind = kind;
                slot.SegmentFirst = _segmentCount;
                slot.SegmentCount = 0;
                slot.ValueCount = 0;
            }

            slot.ValueCount += kind switch
            {
                FeatureKind.Int64 => CountInt64s(data, pos, listEnd),
                FeatureKind.Float => CountFloats(data, pos, listEnd),
                _ => CountBytes(data, pos, listEnd),
            };
            if (_segmentCount == Segments.Length)
            {
                Array.Resize(ref Segments, Segments.Length * 2);
            }

            Segments[_segmentCount++] = new Segment(pos, listEnd - pos);
            slot.SegmentCount++;
            pos = listEnd;
        }
    }

    private static int CountInt64s(ReadOnlySpan<byte> data, int pos, int end)
    {
        int count = 0;
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag == ListTag)
            {
                int packedEnd = ReadLengthEnd(data, ref pos, end);
                count += CountVarints(data.Slice(pos, packedEnd - pos), pos);
                pos = packedEnd;
            }
            else if (tag == UnpackedInt64Tag)
            {
                ReadVarint(data, ref pos, end);
                count++;
            }
            else
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
            }
        }

        return count;
    }

    private static int CountFloats(ReadOnlySpan<byte> data, int pos, int end)
    {
        int count = 0;
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag == ListTag)
            {
                int packedEnd = ReadLengthEnd(data, ref pos, end);
                if ((packedEnd - pos) % 4 != 0)
                {
                    ThrowInvalid("a packed float list's length is not a multiple of 4", pos);
                }

                count += (packedEnd - pos) / 4;
                pos = packedEnd;
            }
            else if (tag == UnpackedFloatTag)
            {
                if (end - pos < 4)
                {
                    ThrowInvalid("a float runs past the end of its message", pos);
                }

                pos += 4;
                count++;
            }
            else
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
            }
        }

        return count;
    }

    private static int CountBytes(ReadOnlySpan<byte> data, int pos, int end)
    {
        int count = 0;
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag == ListTag)
            {
                pos = ReadLengthEnd(data, ref pos, end);
                count++;
            }
            else
            {
                Skip(data, ref pos, end, tag, fieldStart, 0);
            }
        }

        return count;
    }

    /// <summary>Counts the varints of a packed run: every byte below 0x80 ends one; each must end inside the run and be at most 10 bytes.</summary>
    private static int CountVarints(ReadOnlySpan<byte> run, int offset)
    {
        int count = 0;
        int sinceEnd = 0;
        foreach (byte b in run)
        {
            if (b < 0x80)
            {
                count++;
                sinceEnd = 0;
            }
            else if (++sinceEnd >= 10)
            {
                ThrowInvalid("a varint is longer than 10 bytes", offset);
            }
        }

        if (sinceEnd != 0)
        {
            ThrowInvalid("a packed list ends inside a varint", offset + run.Length);
        }

        return count;
    }

    internal static int FindSlot(ReadOnlySpan<byte> data, FeatureSlot[] slots, int first, int end, int nameStart, int nameLength, int fingerprint)
    {
        ReadOnlySpan<byte> name = data.Slice(nameStart, nameLength);
        for (int i = first; i < end; i++)
        {
            ref FeatureSlot other = ref slots[i];
            if (other.Fingerprint == fingerprint && data.Slice(other.NameStart, other.NameLength).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A cheap summary of a name (length and edge bytes) that rules out most unequal names before comparing bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Fingerprint(ReadOnlySpan<byte> name)
    {
        if (name.Length >= 4)
        {
            return (name.Length * 31) ^ BinaryPrimitives.ReadInt32LittleEndian(name) ^ (BinaryPrimitives.ReadInt32LittleEndian(name[^4..]) << 7);
        }

        int h = name.Length;
        foreach (byte b in name)
        {
            h = (h * 257) + b;
        }

        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadTag(ReadOnlySpan<byte> data, ref int pos, int end = -1)
    {
        ReadOnlySpan<byte> bounded = end < 0 ? data : data[..end];
        int start = pos;
        if (!Wire.TryReadVarint(bounded, ref pos, out ulong tag))
        {
            ThrowInvalid("a field tag runs past the end of its message", start);
        }

        if ((uint)tag >> 3 == 0)
        {
            ThrowInvalid("a field number is 0", start);
        }

        return (uint)tag;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos, int end)
    {
        int start = pos;
        if (!Wire.TryReadVarint(data[..end], ref pos, out ulong value))
        {
            ThrowInvalid("a varint is malformed or runs past the end of its message", start);
        }

        return value;
    }

    /// <summary>Reads a length prefix and returns where the field ends, checking it stays inside <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadLengthEnd(ReadOnlySpan<byte> data, ref int pos, int end)
    {
        int start = pos;
        ulong length = ReadVarint(data, ref pos, end);
        if (length > (ulong)(end - pos))
        {
            ThrowInvalid("a length-delimited field runs past the end of its message", start);
        }

        return pos + (int)length;
    }

    /// <summary>Skips the field whose tag was just read.</summary>
    private static void Skip(ReadOnlySpan<byte> data, ref int pos, int end, uint tag, int fieldStart, int depth)
    {
        switch ((int)(tag & 7))
        {
            case Wire.Varint:
                ReadVarint(data, ref pos, end);
                return;
            case Wire.Fixed64:
                Advance(ref pos, end, 8, fieldStart);
                return;
            case Wire.LengthDelimited:
                pos = ReadLengthEnd(data, ref pos, end);
                return;
            case Wire.Fixed32:
                Advance(ref pos, end, 4, fieldStart);
                return;
            case Wire.StartGroup:
                if (depth >= MaxGroupDepth)
                {
                    ThrowInvalid("groups are nested too deeply", fieldStart);
                }

                while (true)
                {
                    if (pos >= end)
                    {
                        ThrowInvalid("a group has no end tag", fieldStart);
                    }

                    int innerStart = pos;
                    uint inner = ReadTag(data, ref pos, end);
                    if ((inner & 7) == Wire.EndGroup)
                    {
                        if (inner >> 3 != tag >> 3)
                        {
                            ThrowInvalid("a group's end tag does not match its start", innerStart);
                        }

                        return;
                    }

                    Skip(data, ref pos, end, inner, innerStart, depth + 1);
                }

            case Wire.EndGroup:
                ThrowInvalid("an end-group tag without a start", fieldStart);
                return;
            default:
                ThrowInvalid("an invalid wire type", fieldStart);
                return;
        }
    }

    private static void Advance(ref int pos, int end, int count, int fieldStart)
    {
        if (end - pos < count)
        {
            ThrowInvalid("a fixed-size field runs past the end of its message", fieldStart);
        }

        pos += count;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowInvalid(string what, int offset) => throw TfRecordFormatException.InvalidPayload(what, offset);

    /// <summary>Skips a field of data already validated by the decoder.</summary>
    internal static void SkipValidated(ReadOnlySpan<byte> data, ref int pos, uint tag) =>
        Skip(data, ref pos, data.Length, tag, pos, 0);
}

/// <summary>Where a feature's name and values are in the payload.</summary>
internal struct FeatureSlot
{
    public int NameStart;
    public int NameLength;
    public int Fingerprint;
    public FeatureKind Kind;
    public int SegmentFirst;
    public int SegmentCount;
    public int ValueCount;
}

/// <summary>A feature list's name and frames.</summary>
internal struct ListSlot
{
    public int NameStart;
    public int NameLength;
    public int Fingerprint;
    public int FrameFirst;
    public int FrameCount;
}

/// <summary>The body of one list message (BytesList, FloatList or Int64List) in the payload.</summary>
internal readonly record struct Segment(int Start, int Length);
