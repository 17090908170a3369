namespace SparkTfrecord.Tfrecord.Tests.Fuzzing;

/// <summary>Seeded byte mutations: bit flips, overwritten and interesting bytes, truncation, insertion, deletion, duplication.</summary>
internal static class Mutator
{
    private static readonly byte[] s_interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x0b, 0x0c, 0x0f];

    public static byte[] Mutate(byte[] input, Random rng)
    {
        var data = new List<byte>(input);
        int mutations = rng.Next(4) == 0 ? rng.Next(2, 8) : 1;
        for (int m = 0; m < mutations; m++)
        {
            int pos = data.Count == 0 ? 0 : rng.Next(data.Count);
            switch (rng.Next(8))
            {
                case 0 or 1 when data.Count > 0:
                    data[pos] ^= (byte)(1 << rng.Next(8));
                    break;
                case 2 when data.Count > 0:
                    data[pos] = rng.Next(2) == 0 ? s_interesting[rng.Next(s_interesting.Length)] : (byte)rng.Next(256);
                    break;
                case 3:
                    data.RemoveRange(pos, data.Count - pos);
                    break;
                case 4:
                    var inserted = new byte[rng.Next(1, 9)];
                    rng.NextBytes(inserted);
                    data.InsertRange(pos, inserted);
                    break;
                case 5 when data.Count > 0:
                    data.RemoveRange(pos, Math.Min(rng.Next(1, 9), data.Count - pos));
                    break;
                case 6 when data.Count > 0:
                    int length = Math.Min(rng.Next(1, 32), data.Count - pos);
                    data.InsertRange(rng.Next(data.Count + 1), data.GetRange(pos, length));
                    break;
                default:
                    // A varint that claims a huge length or field number.
                    byte[] huge = [0xff, 0xff, 0xff, 0xff, (byte)rng.Next(0x80), 0x80, 0x80, 0x01];
                    data.InsertRange(pos, huge.Take(rng.Next(1, huge.Length + 1)));
                    break;
            }
        }

        return [.. data];
    }
}
