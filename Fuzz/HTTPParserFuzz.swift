// libFuzzer harness for the HTTP request parser (AtlasServer's HTTPParser and RequestTarget), built by
// Fuzz/run.sh with `swiftc -sanitize=fuzzer,address`. Each input is parsed as received bytes; every
// complete head is parsed again from the remaining bytes, as pipelining does. The properties checked:
// no crash; `consumed` stays within the input and moves forward; a parsed path starts with "/" and has
// no "." or ".." segment, NUL or backslash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var parser = HTTPParser()
    parser.maxRequestLine = 512
    parser.maxHeaderBytes = 1024
    parser.maxHeaderFields = 16
    var offset = 0
    while offset < size {
        let buffer = UnsafeRawBufferPointer(start: data + offset, count: size - offset)
        guard case .request(let request, let consumed) = parser.parse(buffer) else { break }
        precondition(consumed > 0 && consumed <= size - offset, "consumed \(consumed) of \(size - offset) bytes")
        precondition(request.path.hasPrefix("/"), "path \(request.path)")
        let segments = request.path.split(separator: "/")
        precondition(!segments.contains(".") && !segments.contains(".."), "dot segment in \(request.path)")
        precondition(!request.path.utf8.contains(0) && !request.path.contains("\\"), "NUL or backslash in \(request.path)")
        offset += consumed
    }
    return 0
}
