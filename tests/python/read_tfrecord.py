#!/usr/bin/python3
"""Independent TFRecord reader for SparkTfrecord's cross-language tests.

Reads a TFRecord file (uncompressed, GZIP or ZLIB), checks both masked CRC32Cs of every record with the crc32c
module, parses each payload with Google's Python protobuf runtime and prints the records as JSON on stdout.
It shares no code with the C# library: the tf.train.Example messages are built here at run time from a
FileDescriptorProto, from the field numbers of TensorFlow's example.proto and feature.proto.

Usage: read_tfrecord.py PATH --compression none|gzip|zlib [--type example|sequence]

Output: a JSON list, one element per record. A feature is {"kind": "int64"|"float"|"bytes"|"none", "values": [...]}
with int64 values as numbers, float values as the 8 hex digits of their float32 bits (little-endian bytes, so NaN
payloads and -0.0 compare exactly) and bytes values as hex. An Example is {"features": {name: feature}}; a
SequenceExample is {"context": {name: feature}, "feature_lists": {name: [feature, ...]}}.
Exit status: 0 on success, 1 on a damaged file, 3 when a required module is missing.
"""

import argparse
import gzip
import json
import struct
import sys
import zlib

try:
    import crc32c
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
except ImportError as e:  # pragma: no cover - reported to the C# test, which fails with this text
    print(f"missing Python module ({e}): apt-get install python3-protobuf python3-crc32c", file=sys.stderr)
    sys.exit(3)

MASK_DELTA = 0xA282EAD8


def masked_crc(data):
    crc = crc32c.crc32c(data) & 0xFFFFFFFF
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + MASK_DELTA) & 0xFFFFFFFF


def build_messages():
    """Builds tensorflow.Example / SequenceExample classes from a hand-written FileDescriptorProto."""
    F = descriptor_pb2.FieldDescriptorProto
    file_proto = descriptor_pb2.FileDescriptorProto(name="sparktfrecord_test_example.proto", package="tensorflow",
                                                    syntax="proto3")

    def message(name, *fields, map_entry=False):
        m = file_proto.message_type.add(name=name)
        for fname, number, ftype, label, type_name, oneof in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = type_name
            if oneof is not None:
                f.oneof_index = oneof
        if map_entry:
            m.options.map_entry = True
        return m

    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message("BytesList", ("value", 1, F.TYPE_BYTES, rep, None, None))
    message("FloatList", ("value", 1, F.TYPE_FLOAT, rep, None, None))
    message("Int64List", ("value", 1, F.TYPE_INT64, rep, None, None))
    feature = message("Feature",
                      ("bytes_list", 1, F.TYPE_MESSAGE, opt, ".tensorflow.BytesList", 0),
                      ("float_list", 2, F.TYPE_MESSAGE, opt, ".tensorflow.FloatList", 0),
                      ("int64_list", 3, F.TYPE_MESSAGE, opt, ".tensorflow.Int64List", 0))
    feature.oneof_decl.add(name="kind")
    features = message("Features", ("feature", 1, F.TYPE_MESSAGE, rep, ".tensorflow.Features.FeatureEntry", None))
    entry = features.nested_type.add(name="FeatureEntry")
    entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=opt)
    entry.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=opt, type_name=".tensorflow.Feature")
    entry.options.map_entry = True
    message("FeatureList", ("feature", 1, F.TYPE_MESSAGE, rep, ".tensorflow.Feature", None))
    lists = message("FeatureLists",
                    ("feature_list", 1, F.TYPE_MESSAGE, rep, ".tensorflow.FeatureLists.FeatureListEntry", None))
    list_entry = lists.nested_type.add(name="FeatureListEntry")
    list_entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=opt)
    list_entry.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=opt, type_name=".tensorflow.FeatureList")
    list_entry.options.map_entry = True
    message("Example", ("features", 1, F.TYPE_MESSAGE, opt, ".tensorflow.Features", None))
    message("SequenceExample",
            ("context", 1, F.TYPE_MESSAGE, opt, ".tensorflow.Features", None),
            ("feature_lists", 2, F.TYPE_MESSAGE, opt, ".tensorflow.FeatureLists", None))

    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)

    def cls(name):
        desc = pool.FindMessageTypeByName("tensorflow." + name)
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(desc)
        return message_factory.MessageFactory(pool).GetPrototype(desc)

    return cls("Example"), cls("SequenceExample")


def read_file(path, compression):
    with open(path, "rb") as f:
        raw = f.read()
    if compression == "gzip":
        return gzip.decompress(raw)  # continues across concatenated members, as TensorFlow does
    if compression == "zlib":
        return zlib.decompress(raw)
    return raw


def records(data, path):
    pos = 0
    while pos < len(data):
        if len(data) - pos < 12:
            raise ValueError(f"{path}: truncated record at {pos}")
        length_bytes = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", length_bytes)
        (length_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if masked_crc(length_bytes) != length_crc:
            raise ValueError(f"{path}: corrupted record at {pos} (length CRC)")
        end = pos + 12 + length + 4
        if end > len(data):
            raise ValueError(f"{path}: truncated record at {pos}")
        payload = data[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", data[end - 4:end])
        if masked_crc(payload) != data_crc:
            raise ValueError(f"{path}: corrupted record at {pos + 12} (data CRC)")
        yield payload
        pos = end


def feature_json(feature):
    kind = feature.WhichOneof("kind")
    if kind == "int64_list":
        return {"kind": "int64", "values": list(feature.int64_list.value)}
    if kind == "float_list":
        return {"kind": "float", "values": [struct.pack("<f", v).hex() for v in feature.float_list.value]}
    if kind == "bytes_list":
        return {"kind": "bytes", "values": [bytes(v).hex() for v in feature.bytes_list.value]}
    return {"kind": "none", "values": []}


def features_json(features):
    return {name: feature_json(features.feature[name]) for name in features.feature}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--compression", choices=["none", "gzip", "zlib"], default="none")
    parser.add_argument("--type", choices=["example", "sequence"], default="example")
    args = parser.parse_args()
    example_cls, sequence_cls = build_messages()
    out = []
    try:
        for payload in records(read_file(args.path, args.compression), args.path):
            if args.type == "example":
                example = example_cls.FromString(payload)
                out.append({"features": features_json(example.features)})
            else:
                seq = sequence_cls.FromString(payload)
                out.append({
                    "context": features_json(seq.context),
                    "feature_lists": {name: [feature_json(f) for f in seq.feature_lists.feature_list[name].feature]
                                      for name in seq.feature_lists.feature_list},
                })
    except (ValueError, OSError, EOFError, zlib.error) as e:
        print(str(e), file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
