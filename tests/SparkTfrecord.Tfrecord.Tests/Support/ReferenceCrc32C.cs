namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>
/// A table-driven CRC32C (Castagnoli, reflected polynomial 0x82F63B78) and TFRecord framing written from the
/// definitions, so that tests check the library (which uses the CPU's CRC32 instruction) against something that
/// shares none of its code.
/// </summary>
internal static class ReferenceCrc32C
{
    private static readonly uint[] s_table = BuildTable();

    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = s_table[(crc ^ b) & 0xff] ^ (crc >> 8);
        }

        return ~crc;
    }

    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Crc(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int i = 0; i < 8; i++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78 : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>A record header: <paramref name="length"/> and its masked CRC, whatever bytes follow it.</summary>
    public static byte[] Header(ulong length)
    {
        var header = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header, length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), Masked(header.AsSpan(0, 8)));
        return header;
    }

    /// <summary>Frames one payload as a TFRecord record.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var record = new byte[payload.Length + 16];
        Header((ulong)payload.Length).CopyTo(record, 0);
        payload.CopyTo(record.AsSpan(12));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + payload.Length), Masked(payload));
        return record;
    }

    /// <summary>Frames payloads one after another as an uncompressed TFRecord file.</summary>
    public static byte[] FrameAll(IEnumerable<byte[]> payloads) => payloads.SelectMany(p => Frame(p)).ToArray();
}
