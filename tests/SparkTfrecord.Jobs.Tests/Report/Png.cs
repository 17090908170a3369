using System.Buffers.Binary;
using System.IO.Compression;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// The pixels of a PNG file (8-bit RGB or RGBA, not interlaced: what Chromium's screenshots are), decoded here from
/// the format's definition (chunks, zlib-compressed IDAT, per-row filters) so a test can look at what a browser drew.
/// </summary>
internal sealed class Png
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly byte[] _pixels;
    private readonly int _channels;

    private Png(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public static Png Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        Assert.That(file.AsSpan(0, 8).SequenceEqual(s_signature), Is.True, $"{path} is not a PNG file");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at + 8 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            ReadOnlySpan<byte> data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                byte bitDepth = data[8], colorType = data[9], interlace = data[12];
                Assert.That((bitDepth, interlace), Is.EqualTo(((byte)8, (byte)0)), "only 8-bit, non-interlaced PNG files are decoded here");
                channels = colorType switch
                {
                    2 => 3,
                    6 => 4,
                    _ => throw new AssertionException($"PNG color type {colorType} is not decoded here (only RGB and RGBA)"),
                };
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }

            at += 12 + length;
        }

        int stride = width * channels;
        byte[] raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var inflate = new ZLibStream(idat, CompressionMode.Decompress))
        {
            inflate.ReadExactly(raw);
        }

        byte[] pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            ReadOnlySpan<byte> line = raw.AsSpan(y * (stride + 1) + 1, stride);
            Span<byte> row = pixels.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> up = y == 0 ? new byte[stride] : pixels.AsSpan((y - 1) * stride, stride);
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? row[x - channels] : 0;
                int b = up[x];
                int c = x >= channels ? up[x - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new AssertionException($"PNG row {y} has the unknown filter {filter}"),
                };
                row[x] = (byte)(line[x] + predicted);
            }
        }

        return new Png(width, height, channels, pixels);
    }

    /// <summary>How many pixels satisfy <paramref name="test"/> (given red, green, blue).</summary>
    public long Count(Func<byte, byte, byte, bool> test)
    {
        long n = 0;
        for (int i = 0; i < _pixels.Length; i += _channels)
        {
            if (test(_pixels[i], _pixels[i + 1], _pixels[i + 2]))
            {
                n++;
            }
        }

        return n;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
