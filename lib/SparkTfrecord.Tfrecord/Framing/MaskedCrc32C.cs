using System.Numerics;

namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>The masked CRC32C that TFRecord uses to protect lengths and payloads.</summary>
public static class MaskedCrc32C
{
    private const uint MaskDelta = 0xa282ead8;

    /// <summary>Computes the masked CRC32C (Castagnoli) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The CRC rotated right by 15 bits plus 0xa282ead8, as TensorFlow's <c>crc32c::Mask</c>.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Mask(Crc32C(data));

    /// <summary>Computes the plain CRC32C (standard initial value and final inversion) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The CRC32C value.</returns>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C is a single hardware step without the initial and final inversion, so add both here.
        uint crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Masks a CRC as TFRecord stores it.</summary>
    /// <param name="crc">A plain CRC32C.</param>
    /// <returns>The masked value.</returns>
    public static uint Mask(uint crc) => BitOperations.RotateRight(crc, 15) + MaskDelta;
}
