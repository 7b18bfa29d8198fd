// libFuzzer entry point (scripts/fuzz): every input is one datagram, fed through the codec and
// then a joined DHTEngine (the clock advances 7 s per input, so sweeps and timeouts run too).
import DHTCore
import DHTWire

nonisolated(unsafe) var engine: DHTEngine? = nil
nonisolated(unsafe) var clock = Timestamp(unixSeconds: 1_800_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? MessageCodec.decode(bytes)
    _ = try? MessageCodec.decodeAnswerable(bytes)
    if engine == nil {
        var config = EngineConfiguration()
        config.allowDelete = true
        let e = DHTEngine(configuration: config, random: SeededRandom(seed: 1), now: clock, layerIDs: [0: nil])
        _ = e.start(.join(seeds: [], layer: 0, attach: true), id: OperationID(1), now: clock)
        engine = e
    }
    clock = clock + .seconds(7)
    _ = engine!.receive(bytes, from: Endpoint(address: 0x0a00_0001 &+ UInt32(size % 64), port: 4000), now: clock)
    _ = engine!.tick(now: clock)
    return 0
}
