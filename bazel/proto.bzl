"""Compiles .proto files with Debian's protoc and grpc_cpp_plugin.

Bazel 4's native proto rules want protobuf sources from the network; a plain
genrule over the system compilers keeps the build offline. Generated headers
are included by their workspace path, e.g. `#include "schema/collector.pb.h"`.
"""

def cc_proto(name, srcs, deps = [], grpc = False, visibility = None):
    """Declares `name`: a cc_library with the protobuf (and optionally gRPC) code for `srcs`.

    Args:
      name: the cc_library's name.
      srcs: .proto files in this package.
      deps: other cc_proto targets whose .proto files these import.
      grpc: also generate gRPC service stubs (`*.grpc.pb.{h,cc}`).
      visibility: visibility of the cc_library.
    """
    stems = [s[:-len(".proto")] for s in srcs]
    pkg = native.package_name()
    outs = []
    for stem in stems:
        outs += [stem + ".pb.h", stem + ".pb.cc"]
        if grpc:
            outs += [stem + ".grpc.pb.h", stem + ".grpc.pb.cc"]

    # Imported .proto files of deps must be visible to protoc at their workspace paths.
    dep_protos = [d + "_protos" for d in deps]
    grpc_flags = ""
    if grpc:
        grpc_flags = "--grpc_out=$(GENDIR) --plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) "
    native.filegroup(
        name = name + "_protos",
        srcs = srcs + dep_protos,
        visibility = visibility,
    )
    native.genrule(
        name = name + "_gen",
        srcs = srcs + dep_protos,
        outs = outs,
        cmd = ("protoc -I. --cpp_out=$(GENDIR) " + grpc_flags +
               " ".join(["%s/%s" % (pkg, s) if pkg else s for s in srcs])),
        message = "protoc " + " ".join(srcs),
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        deps = deps + ["@debian_deps//:protobuf"] + (["@debian_deps//:grpc"] if grpc else []),
        visibility = visibility,
    )
