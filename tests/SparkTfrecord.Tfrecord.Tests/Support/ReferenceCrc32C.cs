namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>
/// A bit-at-a-time CRC32C (Castagnoli, reflected polynomial 0x82F63B78) and TFRecord framing written from the
/// definitions, so that tests check the library against something that shares none of its code.
/// </summary>
internal static class ReferenceCrc32C
{
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }

    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Crc(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    /// <summary>Frames one payload as a TFRecord record.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var record = new byte[payload.Length + 16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Masked(record.AsSpan(0, 8)));
        payload.CopyTo(record.AsSpan(12));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + payload.Length), Masked(payload));
        return record;
    }

    /// <summary>Frames payloads one after another as an uncompressed TFRecord file.</summary>
    public static byte[] FrameAll(IEnumerable<byte[]> payloads) => payloads.SelectMany(p => Frame(p)).ToArray();
}
