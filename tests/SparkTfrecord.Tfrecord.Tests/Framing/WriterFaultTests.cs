using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Framing;

/// <summary>
/// A stream that fails after N bytes (a full disk, a broken connection): the writer surfaces the stream's own
/// IOException, never another exception, never hides it, writes nothing but a prefix of the right bytes, and still
/// closes the stream.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class WriterFaultTests
{
    [Test]
    public void Writer_surfaces_the_stream_s_fault_after_every_byte_count([Values] TfRecordCompression compression)
    {
        var payloads = ReaderStreamTests.SamplePayloads().Take(9).ToList(); // sizes 0 to 100
        const int bufferSize = 40;
        byte[] expected = Records.Write(payloads, compression, bufferSize);

        for (int failAfter = 0; failAfter <= expected.Length; failAfter++)
        {
            var sink = new FailingWriteStream(failAfter);
            Exception? error = null;
            try
            {
                using var writer = new TfRecordWriter(sink, new TfRecordWriterOptions { Compression = compression, BufferSize = bufferSize });
                foreach (byte[] payload in payloads)
                {
                    writer.Write(payload);
                }
            }
            catch (Exception e)
            {
                error = e;
            }

            string where = $"fail after {failAfter} of {expected.Length} bytes";
            byte[] accepted = sink.Accepted;
            Assert.That(accepted, Is.EqualTo(expected.Take(accepted.Length)), $"{where}: what was written is a prefix of the file");
            Assert.That(sink.IsDisposed, Is.True, $"{where}: the stream is closed even after a fault");
            if (failAfter < expected.Length)
            {
                Assert.That(error, Is.InstanceOf<InjectedFaultException>(), where);
            }
            else
            {
                Assert.That(error, Is.Null, where);
                Assert.That(accepted, Is.EqualTo(expected), where);
            }
        }
    }

    [Test]
    public void Record_larger_than_the_buffer_is_written_in_place_and_faults_surface_too()
    {
        byte[] big = new byte[1000];
        new Random(3).NextBytes(big);
        byte[] expected = ReferenceCrc32C.FrameAll([[1, 2], big, [3]]);

        foreach (int failAfter in new[] { 0, 5, 18, 30, 500, 1017, 1018, expected.Length - 1, expected.Length })
        {
            var sink = new FailingWriteStream(failAfter);
            var writer = new TfRecordWriter(sink, new TfRecordWriterOptions { BufferSize = 64 });
            Exception? error = null;
            try
            {
                writer.Write([1, 2]);
                writer.Write(big);
                writer.WriteFramed(ReferenceCrc32C.Frame([3]));
                writer.Dispose();
            }
            catch (IOException e)
            {
                error = e;
            }

            Assert.That(sink.Accepted, Is.EqualTo(expected.Take(sink.Accepted.Length)), $"fail after {failAfter}");
            Assert.That(error, failAfter < expected.Length ? Is.InstanceOf<InjectedFaultException>() : Is.Null, $"fail after {failAfter}");
        }
    }
}
