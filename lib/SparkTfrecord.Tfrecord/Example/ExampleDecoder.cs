using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    // Where the bytes values are, found while validating, so that enumerating them is reading this table rather than
    // parsing the lists a second time: runs of values of one length at even intervals (a list of ids is one run).
    internal ValueRun[] Runs = new ValueRun[32];
    private int _slotCount;
    private int _segmentCount;
    private int _frameCount;
    private int _listCount;
    private int _runCount;
    private ulong _nameFilter;

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
            uint tag = ReadTag(payload, ref pos, payload.Length);
            if (tag == FeaturesTag)
            {
                // The length of a whole Features is usually two bytes: read those here (any other, or an error, below).
                int end = ReadShortLengthEnd(ref MemoryMarshal.GetReference(payload), ref pos, payload.Length);
                if (end < 0)
                {
                    end = ReadLengthEnd(payload, ref pos, payload.Length);
                }

                ParseFeatures(payload, pos, end, 0);
                pos = end;
            }
            else
            {
                pos = Skip(payload, pos, payload.Length, tag, fieldStart, 0);
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
            uint tag = ReadTag(payload, ref pos, payload.Length);
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
                pos = Skip(payload, pos, payload.Length, tag, fieldStart, 0);
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
        _runCount = 0;
        _nameFilter = 0;
    }

    /// <summary>Parses the body of a Features message: map entries of key and Feature.</summary>
    /// <remarks>
    /// Never inlined, so that it is compiled the same way whatever calls the decoder, with its own fast paths inlined
    /// into it: inlined into a caller's loop, it ran out of the JIT's inlining budget and called them instead.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ParseFeatures(ReadOnlySpan<byte> data, int pos, int end, int firstSlot)
    {
        while (pos < end)
        {
            int next = TryParseScalarEntry(data, pos, end, firstSlot);
            if (next > 0)
            {
                pos = next;
                continue;
            }

            int fieldStart = pos;
            if (_slotCount == Slots.Length)
            {
                Array.Resize(ref Slots, Slots.Length * 2);
            }

            // The entry is parsed straight into the next free slot: building the slot elsewhere and copying it in cost
            // more than parsing a one-value feature.
            ref FeatureSlot slot = ref Slots[_slotCount];
            if (data[pos] == ListTag)
            {
                next = TryParseEntryFast(data, pos + 1, end, ref slot);
            }

            if (next > 0)
            {
                pos = next;
                AddSlot(data, ref slot, firstSlot);
                continue;
            }

            uint tag = ReadTag(data, ref pos, end);
            if (tag != ListTag)
            {
                pos = Skip(data, pos, end, tag, fieldStart, 0);
                continue;
            }

            int entryEnd = ReadLengthEnd(data, ref pos, end);
            slot = default;
            ParseEntry(data, pos, entryEnd, ref slot);
            slot.Fingerprint = Fingerprint(data.Slice(slot.NameStart, slot.NameLength));
            pos = entryEnd;
            AddSlot(data, ref slot, firstSlot);
        }
    }

    /// <summary>Keeps the slot just parsed as a new feature, or as the value of an earlier one of the same name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddSlot(ReadOnlySpan<byte> data, ref FeatureSlot slot, int firstSlot)
    {
        // Two bits per fingerprint seen since Reset (a Bloom filter): a name with either bit clear cannot repeat one, so
        // most features skip the search, which would otherwise make a record of n features cost n * n / 2 comparisons.
        // Two bits rather than one halve the searches for records of up to about 20 features.
        int fingerprint = slot.Fingerprint;
        uint hash = (uint)fingerprint * 0x9E3779B1u;
        ulong bits = (1UL << (int)(hash >> 26)) | (1UL << (int)(hash >> 20));
        ulong filter = _nameFilter;
        _nameFilter = filter | bits;
        if ((filter & bits) == bits)
        {
            int existing = FindSlot(data, Slots, firstSlot, _slotCount, slot.NameStart, slot.NameLength, fingerprint);
            if (existing >= 0)
            {
                Slots[existing] = slot; // a repeated key keeps its first position and takes the last value
                return;
            }
        }

        _slotCount++;
    }

    /// <summary>
    /// Parses, from its tag at <paramref name="pos"/>, a map entry holding one feature of at most one packed run or
    /// one bytes value, with every length in one byte: how writers write a scalar feature. Its headers are read a
    /// word at a time and checked against what they must be for that layout. Returns the position after the entry,
    /// having kept it as a feature; or 0, having recorded nothing, for anything else, which
    /// <see cref="TryParseEntryFast"/> or the general path then parses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TryParseScalarEntry(ReadOnlySpan<byte> data, int pos, int end, int firstSlot)
    {
        // 0a <entry length> 0a <name length> <name> 12 <value length> <list tag> <list length> 0a <run length> <run>,
        // lengths one byte each: the value fills the entry, the list fills the value, one field 1 fills the list.
        ref byte b = ref MemoryMarshal.GetReference(data);
        if (end - pos < 4)
        {
            return 0;
        }

        uint head = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, (nint)(uint)pos));
        if ((head & 0x80FF80FF) != 0x000A000A)
        {
            return 0;
        }

        int entryLength = (int)((head >> 8) & 0xFF);
        int nameLength = (int)(head >> 24);
        int entryEnd = pos + 2 + entryLength;

        // The value's four header bytes and the run's two are inside the entry, which is inside the message.
        int valueLength = entryLength - nameLength - 4;
        if (entryEnd > end || valueLength < 4)
        {
            return 0;
        }

        int nameStart = pos + 4;
        int valueStart = nameStart + nameLength;
        uint value = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, (nint)(uint)valueStart));
        uint listTag = (value >> 16) & 0xFF;
        int run = valueLength - 4;

        // 12 <value length> _ <value length - 2>, with a list tag of 0a, 12 or 1a (bytes, float, int64) between.
        if ((value & 0xFF00FFFF) != (0x12u | ((uint)valueLength << 8) | ((uint)(valueLength - 2) << 24))
            || listTag >= 32
            || ((0x04040400u >> (int)listTag) & 1) == 0
            || Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)(valueStart + 4))) != (ListTag | ((uint)run << 8)))
        {
            return 0;
        }

        uint kind = listTag >> 3;
        int runStart = valueStart + 6;
        int count;
        int first;
        if (kind == (uint)FeatureKind.Bytes)
        {
            if (_runCount == Runs.Length)
            {
                GrowRuns();
            }

            first = _runCount++;
            Runs[first] = new ValueRun(runStart, runStart, run, 1);
            count = 1;
        }
        else
        {
            if (kind == (uint)FeatureKind.Int64)
            {
                // Up to 8 bytes of varints, read at once (an entry is at least 10 bytes).
                if ((uint)(run - 1) > 7)
                {
                    return 0;
                }

                ulong ends = VarintEnds(ref b, entryEnd, run);
                if ((long)ends >= 0)
                {
                    return 0;
                }

                count = BitOperations.PopCount(ends);
            }
            else
            {
                if (run % 4 != 0 || run == 0)
                {
                    return 0;
                }

                count = run / 4;
            }

            if (_segmentCount == Segments.Length)
            {
                Array.Resize(ref Segments, Segments.Length * 2);
            }

            first = _segmentCount++;
            Segments[first] = new Segment(runStart, run);
        }

        if (_slotCount == Slots.Length)
        {
            Array.Resize(ref Slots, Slots.Length * 2);
        }

        ref FeatureSlot slot = ref Slots[_slotCount];
        slot.NameStart = nameStart;
        slot.NameLength = nameLength;
        slot.Fingerprint = FingerprintAt(ref b, nameStart, nameLength);
        slot.Kind = (FeatureKind)kind;
        slot.RunFirst = first;
        slot.RunCount = 1;
        slot.ValueCount = count;
        AddSlot(data, ref slot, firstSlot);
        return entryEnd;
    }

    /// <summary><see cref="Fingerprint"/> of a name the caller has checked is inside the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FingerprintAt(ref byte b, int start, int length)
    {
        if (length >= 4)
        {
            return LongFingerprint(ref Unsafe.Add(ref b, (nint)(uint)start), length);
        }

        return Fingerprint(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref b, (nint)(uint)start), length));
    }

    /// <summary>
    /// Parses a map entry laid out the way writers lay it out (the key, then a Feature holding one list, and nothing
    /// else, with lengths of one or two bytes) into <paramref name="slot"/>, from <paramref name="pos"/> just after the
    /// entry's tag. Returns the position after the entry, having set every field of the slot; or, for any other layout
    /// of the headers (or invalid ones), returns 0 having recorded nothing, and the general path parses the entry again
    /// from its tag and throws what is to be thrown. Past the headers, which it checks as the general path does, the
    /// list's body is read by the same counting methods as there (or by faster ones that hand anything unusual to
    /// them), so an invalid body throws the same error. Every read is checked to be before <paramref name="end"/>, which
    /// is at most the length of <paramref name="data"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TryParseEntryFast(ReadOnlySpan<byte> data, int pos, int end, ref FeatureSlot slot)
    {
        ref byte b = ref MemoryMarshal.GetReference(data);
        int entryEnd = ReadShortLengthEnd(ref b, ref pos, end);
        if (entryEnd < 0 || entryEnd - pos < 2 || At(ref b, pos) != EntryKeyTag)
        {
            return 0;
        }

        uint nameLength = At(ref b, pos + 1);
        int nameStart = pos + 2;
        if (nameLength >= 0x80 || nameLength >= (uint)(entryEnd - nameStart))
        {
            return 0; // (the value's tag must follow the name)
        }

        pos = nameStart + (int)nameLength;
        if (At(ref b, pos) != EntryValueTag)
        {
            return 0;
        }

        pos++;
        if (ReadShortLengthEnd(ref b, ref pos, entryEnd) != entryEnd || pos == entryEnd)
        {
            return 0; // another field follows the value, or the Feature is empty
        }

        // A one-byte tag of field 1, 2 or 3 with wire type 2; a byte of a longer tag fails the range check.
        uint tag = At(ref b, pos);
        uint kind = tag >> 3;
        if ((tag & 7) != Wire.LengthDelimited || kind - 1 > 2)
        {
            return 0;
        }

        pos++;
        if (ReadShortLengthEnd(ref b, ref pos, entryEnd) != entryEnd)
        {
            return 0; // another field follows the list
        }

        slot.NameStart = nameStart;
        slot.NameLength = (int)nameLength;
        slot.Fingerprint = FingerprintAt(ref b, nameStart, (int)nameLength);
        slot.Kind = (FeatureKind)kind;
        int first = RunsRecorded((FeatureKind)kind);
        slot.RunFirst = first;
        slot.ValueCount = kind switch
        {
            (uint)FeatureKind.Bytes => ScanBytes(data, pos, entryEnd),
            (uint)FeatureKind.Int64 => ScanInt64s(data, pos, entryEnd),
            _ => ScanFloats(data, pos, entryEnd),
        };
        slot.RunCount = RunsRecorded((FeatureKind)kind) - first;
        return entryEnd;
    }

    /// <summary>
    /// Records the values of a BytesList body the way writers write it: each a one-byte tag, a one-byte length and the
    /// bytes. Values of one length in a row (ids, hashes) are one run in <see cref="Runs"/>, checked at positions
    /// computed ahead rather than each found from the one before, and recorded once. Any other body goes to
    /// <see cref="CountBytes"/>, which checks it in full.
    /// </summary>
    private int ScanBytes(ReadOnlySpan<byte> data, int pos, int end)
    {
        ref byte b = ref MemoryMarshal.GetReference(data);
        int count = 0;
        while (pos < end)
        {
            int length = end - pos < 2 || At(ref b, pos) != ListTag ? 0x80 : (int)At(ref b, pos + 1);
            int stride = length + 2;
            if (length >= 0x80 || stride > end - pos)
            {
                // Anything else, from here: CountBytes would have read the values so far as they were read here.
                return count + CountBytes(data, pos, end);
            }

            int n = RunLength(ref b, pos, end - stride, stride);
            if (_runCount == Runs.Length)
            {
                GrowRuns();
            }

            Runs[_runCount++] = new ValueRun(pos + 2, pos + 2 + ((n - 1) * stride), length, stride);
            count += n;
            pos += n * stride;
        }

        return count;
    }

    /// <summary>
    /// How many values in a row, from the one whose header is at <paramref name="pos"/>, have that same two-byte header
    /// and so come every <paramref name="stride"/> bytes; <paramref name="last"/> is the last position where one fits.
    /// </summary>
    /// <remarks>
    /// Every value of a run has the header of the first; a value whose header differs starts the next run. Only the
    /// comparisons depend on the bytes read, not the positions, so they run ahead in parallel, four at a time. Never
    /// inlined, so that its loop keeps its few values in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunLength(ref byte b, int pos, int last, int stride)
    {
        ushort header = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)pos));
        int start = pos;
        pos += stride;
        while (pos <= last - (3 * stride)
            && (Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)pos)) == header)
            & (Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)(pos + stride))) == header)
            & (Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)(pos + (2 * stride)))) == header)
            & (Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)(pos + (3 * stride)))) == header))
        {
            pos += 4 * stride;
        }

        while (pos <= last && Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, (nint)(uint)pos)) == header)
        {
            pos += stride;
        }

        return (pos - start) / stride;
    }

    /// <summary>Records the varint runs of an Int64List body; one packed field with a one-byte length is counted here.</summary>
    private int ScanInt64s(ReadOnlySpan<byte> data, int pos, int end)
    {
        int run = end - pos - 2;
        if (run > 0 && run <= 8 && end >= 8 && data[pos] == ListTag && data[pos + 1] == run)
        {
            // Up to 8 bytes of varints, read at once.
            ulong ends = VarintEnds(ref MemoryMarshal.GetReference(data), end, run);
            if ((long)ends < 0)
            {
                AddRun(pos + 2, run);
                return BitOperations.PopCount(ends);
            }
        }

        return CountInt64s(data, pos, end);
    }

    /// <summary>
    /// Where the varints of a packed run of <paramref name="run"/> bytes (1 to 8) that ends at <paramref name="end"/>
    /// (at least 8, inside the span) end, read at once as the top bytes of the 8 that end there: the 0x80 bit of each
    /// byte below 0x80. The last byte must end a varint, so the run is valid when the result is negative as a long, and
    /// its population count is then the number of varints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong VarintEnds(ref byte b, int end, int run) =>
        ~Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, (nint)(uint)(end - 8))) & 0x8080808080808080UL & (ulong.MaxValue << (8 * (8 - run)));

    /// <summary>Records the runs of a FloatList body; one packed field with a one-byte length is counted here.</summary>
    private int ScanFloats(ReadOnlySpan<byte> data, int pos, int end)
    {
        int run = end - pos - 2;
        if (run > 0 && run < 0x80 && run % 4 == 0 && data[pos] == ListTag && data[pos + 1] == run)
        {
            AddRun(pos + 2, run);
            return run / 4;
        }

        return CountFloats(data, pos, end);
    }

    /// <summary>
    /// Reads a length of one or two bytes at <paramref name="pos"/> and returns where the field ends, or -1 when the
    /// length is longer or the field runs past <paramref name="end"/> (at most the span's length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadShortLengthEnd(ref byte b, ref int pos, int end)
    {
        if (pos >= end)
        {
            return -1;
        }

        uint length = At(ref b, pos);
        int next = pos + 1;
        if (length >= 0x80)
        {
            if (next >= end || At(ref b, next) >= 0x80)
            {
                return -1;
            }

            length = (length & 0x7F) | ((uint)At(ref b, next) << 7);
            next++;
        }

        if (length > (uint)(end - next))
        {
            return -1;
        }

        pos = next;
        return next + (int)length;
    }

    /// <summary>The byte at <paramref name="index"/>, which the caller has checked is inside the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint At(ref byte b, int index) => Unsafe.Add(ref b, (nint)(uint)index);

    /// <summary>Parses a map entry of key and Feature, whatever its layout: fields in any order, repeated or unknown.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ParseEntry(ReadOnlySpan<byte> data, int pos, int end, ref FeatureSlot slot)
    {
        while (pos < end)
        {
            int fieldStart = pos;
            uint entryTag = ReadTag(data, ref pos, end);
            if (entryTag == EntryKeyTag)
            {
                int keyEnd = ReadLengthEnd(data, ref pos, end);
                slot.NameStart = pos;
                slot.NameLength = keyEnd - pos;
                pos = keyEnd;
            }
            else if (entryTag == EntryValueTag)
            {
                // Each value field is a fresh Feature (the last one wins), as Google.Protobuf reads map values.
                int valueEnd = ReadLengthEnd(data, ref pos, end);
                slot.Kind = FeatureKind.None;
                slot.RunCount = 0;
                slot.ValueCount = 0;
                ParseFeature(data, pos, valueEnd, ref slot);
                pos = valueEnd;
            }
            else
            {
                pos = Skip(data, pos, end, entryTag, fieldStart, 0);
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
                pos = Skip(data, pos, end, tag, fieldStart, 0);
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
                    pos = Skip(data, pos, entryEnd, entryTag, fieldStart, 0);
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
                pos = Skip(data, pos, end, tag, fieldStart, 0);
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
                pos = Skip(data, pos, end, tag, fieldStart, 0);
                continue;
            }

            int listEnd = ReadLengthEnd(data, ref pos, end);
            if (kind != slot.Kind)
            {
                // Another member of the oneof replaces the list; the same member again is merged (values appended,
                // and its runs recorded right after the first list's).
                slot.Kind = kind;
                slot.RunFirst = RunsRecorded(kind);
                slot.RunCount = 0;
                slot.ValueCount = 0;
            }

            int runsBefore = RunsRecorded(kind);
            slot.ValueCount += kind switch
            {
                FeatureKind.Int64 => CountInt64s(data, pos, listEnd),
                FeatureKind.Float => CountFloats(data, pos, listEnd),
                _ => CountBytes(data, pos, listEnd),
            };
            slot.RunCount += RunsRecorded(kind) - runsBefore;
            pos = listEnd;
        }
    }

    /// <summary>
    /// Counts the values of an Int64List body and records its runs of varints in <see cref="Segments"/>: each packed
    /// field's, and each unpacked value as a run of one, so that enumerating the values reads no tag.
    /// </summary>
    private int CountInt64s(ReadOnlySpan<byte> data, int pos, int end)
    {
        int count = 0;
        while (pos < end)
        {
            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag == ListTag)
            {
                int packedEnd = ReadLengthEnd(data, ref pos, end);
                int n = CountVarints(data.Slice(pos, packedEnd - pos), pos);
                if (n > 0)
                {
                    AddRun(pos, packedEnd - pos);
                    count += n;
                }

                pos = packedEnd;
            }
            else if (tag == UnpackedInt64Tag)
            {
                int start = pos;
                ReadVarint(data, ref pos, end);
                AddRun(start, pos - start);
                count++;
            }
            else
            {
                pos = Skip(data, pos, end, tag, fieldStart, 0);
            }
        }

        return count;
    }

    /// <summary>Counts the values of a FloatList body and records its runs of floats, as <see cref="CountInt64s"/>.</summary>
    private int CountFloats(ReadOnlySpan<byte> data, int pos, int end)
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

                if (packedEnd > pos)
                {
                    AddRun(pos, packedEnd - pos);
                    count += (packedEnd - pos) / 4;
                }

                pos = packedEnd;
            }
            else if (tag == UnpackedFloatTag)
            {
                if (end - pos < 4)
                {
                    ThrowInvalid("a float runs past the end of its message", pos);
                }

                AddRun(pos, 4);
                pos += 4;
                count++;
            }
            else
            {
                pos = Skip(data, pos, end, tag, fieldStart, 0);
            }
        }

        return count;
    }

    /// <summary>Counts the values of a BytesList body and records where they are in <see cref="Runs"/>.</summary>
    /// <remarks>Never inlined: inside a large caller its loop ran with its counters spilled to memory.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int CountBytes(ReadOnlySpan<byte> data, int pos, int end)
    {
        data = data[..end];
        int first = _runCount;
        int count = 0;
        while (pos < end)
        {
            // Nearly every value is a one-byte tag (field 1), a one-byte length and the bytes: take those without the
            // general varint reads. The check and the error are the ones ReadLengthEnd makes on the same bytes.
            if (data[pos] == ListTag && pos + 1 < end)
            {
                uint length = data[pos + 1];
                if (length < 0x80)
                {
                    if (length > (uint)(end - pos - 2))
                    {
                        ThrowInvalid("a length-delimited field runs past the end of its message", pos + 1);
                    }

                    AddValue(first, pos + 2, (int)length);
                    count++;
                    pos += 2 + (int)length;
                    continue;
                }
            }

            int fieldStart = pos;
            uint tag = ReadTag(data, ref pos, end);
            if (tag == ListTag)
            {
                int valueEnd = ReadLengthEnd(data, ref pos, end);
                AddValue(first, pos, valueEnd - pos);
                count++;
                pos = valueEnd;
            }
            else
            {
                pos = Skip(data, pos, end, tag, fieldStart, 0);
            }
        }

        return count;
    }

    /// <summary>
    /// Records a bytes value: it extends the last run (one recorded since <paramref name="first"/>) when it has the
    /// run's length and comes at the run's interval, and starts a run otherwise.
    /// </summary>
    private void AddValue(int first, int start, int length)
    {
        if (_runCount > first)
        {
            ref ValueRun last = ref Runs[_runCount - 1];
            if (last.Length == length && (last.LastStart == last.Start || start == last.LastStart + last.Stride))
            {
                last.Stride = start - last.LastStart;
                last.LastStart = start;
                return;
            }
        }

        if (_runCount == Runs.Length)
        {
            GrowRuns();
        }

        Runs[_runCount++] = new ValueRun(start, start, length, 1);
    }

    /// <summary>Records a run of packed int64 or float values.</summary>
    private void AddRun(int start, int length)
    {
        if (_segmentCount == Segments.Length)
        {
            Array.Resize(ref Segments, Segments.Length * 2);
        }

        Segments[_segmentCount++] = new Segment(start, length);
    }

    /// <summary>How many runs the table of a <paramref name="kind"/> list holds: <see cref="Runs"/> for bytes, else <see cref="Segments"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RunsRecorded(FeatureKind kind) => kind == FeatureKind.Bytes ? _runCount : _segmentCount;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowRuns() => Array.Resize(ref Runs, Runs.Length * 2);

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
            return LongFingerprint(ref MemoryMarshal.GetReference(name), name.Length);
        }

        int h = name.Length;
        foreach (byte b in name)
        {
            h = (h * 257) + b;
        }

        return h;
    }

    /// <summary><see cref="Fingerprint"/> of a name of <paramref name="length"/> bytes, at least 4, at <paramref name="name"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LongFingerprint(ref byte name, int length) =>
        (length * 31) ^ Unsafe.ReadUnaligned<int>(ref name) ^ (int)BitOperations.RotateLeft(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref name, length - 4)), 7);

    // The readers below inline only the one-byte case, which is nearly every tag and length in an Example. The rest
    // (longer varints, and every error) is in methods that take and return values rather than references, so that
    // callers keep their positions in registers.

    /// <summary>Reads a field tag, checking it ends inside <paramref name="end"/> and its field number is not 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadTag(ReadOnlySpan<byte> data, ref int pos, int end)
    {
        if ((uint)pos < (uint)end)
        {
            uint b = data[pos];
            if (b - 8 < 0x80 - 8)
            {
                pos++;
                return b;
            }
        }

        (uint tag, pos) = ReadTagSlow(data, pos, end);
        return tag;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (uint Tag, int Next) ReadTagSlow(ReadOnlySpan<byte> data, int pos, int end)
    {
        int start = pos;
        if (!Wire.TryReadVarint(data[..end], ref pos, out ulong tag))
        {
            ThrowInvalid("a field tag runs past the end of its message", start);
        }

        if ((uint)tag >> 3 == 0)
        {
            ThrowInvalid("a field number is 0", start);
        }

        return ((uint)tag, pos);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos, int end)
    {
        if ((uint)pos < (uint)end)
        {
            uint b = data[pos];
            if (b < 0x80)
            {
                pos++;
                return b;
            }
        }

        (ulong value, pos) = ReadVarintSlow(data, pos, end);
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ulong Value, int Next) ReadVarintSlow(ReadOnlySpan<byte> data, int pos, int end)
    {
        int start = pos;
        if (!Wire.TryReadVarint(data[..end], ref pos, out ulong value))
        {
            ThrowInvalid("a varint is malformed or runs past the end of its message", start);
        }

        return (value, pos);
    }

    /// <summary>Reads a length prefix and returns where the field ends, checking it stays inside <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadLengthEnd(ReadOnlySpan<byte> data, ref int pos, int end)
    {
        if ((uint)pos < (uint)end)
        {
            uint length = data[pos];
            if (length < 0x80 && length < (uint)(end - pos))
            {
                pos++;
                return pos + (int)length;
            }
        }

        (pos, int fieldEnd) = ReadLengthEndSlow(data, pos, end);
        return fieldEnd;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int Next, int End) ReadLengthEndSlow(ReadOnlySpan<byte> data, int pos, int end)
    {
        int start = pos;
        ulong length;
        if (pos + 1 < end && data[pos] >= 0x80 && data[pos + 1] < 0x80)
        {
            // Two bytes (128 to 16383) is the usual length of a history list and of the whole Features: read it here.
            length = (uint)(data[pos] & 0x7F) | ((uint)data[pos + 1] << 7);
            pos += 2;
        }
        else if (!Wire.TryReadVarint(data[..end], ref pos, out length))
        {
            ThrowInvalid("a varint is malformed or runs past the end of its message", start);
        }

        if (length > (ulong)(end - pos))
        {
            ThrowInvalid("a length-delimited field runs past the end of its message", start);
        }

        return (pos, pos + (int)length);
    }

    /// <summary>Skips the field whose tag was just read; returns the position after it.</summary>
    /// <remarks>Positions are passed and returned by value so that callers keep theirs in a register.</remarks>
    private static int Skip(ReadOnlySpan<byte> data, int pos, int end, uint tag, int fieldStart, int depth)
    {
        switch ((int)(tag & 7))
        {
            case Wire.Varint:
                ReadVarint(data, ref pos, end);
                return pos;
            case Wire.Fixed64:
                return Advance(pos, end, 8, fieldStart);
            case Wire.LengthDelimited:
                return ReadLengthEnd(data, ref pos, end);
            case Wire.Fixed32:
                return Advance(pos, end, 4, fieldStart);
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

                        return pos;
                    }

                    pos = Skip(data, pos, end, inner, innerStart, depth + 1);
                }

            case Wire.EndGroup:
                ThrowInvalid("an end-group tag without a start", fieldStart);
                return pos;
            default:
                ThrowInvalid("an invalid wire type", fieldStart);
                return pos;
        }
    }

    private static int Advance(int pos, int end, int count, int fieldStart)
    {
        if (end - pos < count)
        {
            ThrowInvalid("a fixed-size field runs past the end of its message", fieldStart);
        }

        return pos + count;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowInvalid(string what, int offset) => throw TfRecordFormatException.InvalidPayload(what, offset);
}

/// <summary>Where a feature's name and values are in the payload.</summary>
internal struct FeatureSlot
{
    public int NameStart;
    public int NameLength;
    public int Fingerprint;
    public FeatureKind Kind;

    /// <summary>
    /// The list's first run: for a bytes list in <see cref="ExampleDecoder.Runs"/>, for an int64 or float list (runs of
    /// packed values) in <see cref="ExampleDecoder.Segments"/>. A list's runs are consecutive.
    /// </summary>
    public int RunFirst;
    public int RunCount;
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

/// <summary>A run of the payload: a run of packed int64 or float values (never empty).</summary>
internal readonly record struct Segment(int Start, int Length);

/// <summary>
/// Bytes values of <see cref="Length"/> bytes each, the first at <see cref="Start"/>, each <see cref="Stride"/> bytes
/// after the one before (its tag and length between them), the last at <see cref="LastStart"/>. For one value, the
/// stride is 1 (any positive step ends the run).
/// </summary>
internal struct ValueRun(int start, int lastStart, int length, int stride)
{
    public int Start = start;
    public int LastStart = lastStart;
    public int Length = length;
    public int Stride = stride;

    /// <summary>Whether all of the run lies in the payload (a view whose decoder has moved on may hold another payload's runs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool LiesIn(ReadOnlySpan<byte> payload) => (ulong)(uint)LastStart + (uint)Length <= (uint)payload.Length;
}
