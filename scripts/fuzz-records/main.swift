// libFuzzer entry point (scripts/fuzz records): every input is text from the network, fed to
// BitDust's readers of hostile values: the identity XML reader (BoundedXMLReader), the JSON
// reader, and the record decoder for every record type.
import BitDustRecords

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    if let summary = IdentitySummary.parse(text) {
        // What was read came from the input: nothing is invented.
        precondition(summary.sources.count + summary.contacts.count + summary.scrubbers.count <= size)
    }
    if let json = BitDustJSON.parse(bytes: bytes) {
        // Whatever is read serializes and reads back the same.
        precondition(BitDustJSON.parse(json.serialized()) == json)
    }
    _ = RecordDecoder.decode(bytes, now: 1_800_000_000)
    for type in RecordType.allCases { _ = RecordDecoder.decode(bytes, expected: type, now: 1_800_000_000) }
    return 0
}
