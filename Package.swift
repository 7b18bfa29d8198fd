// swift-tools-version:6.0
import PackageDescription

// Layers, bottom up (a layer never imports one above it):
//   DHTWire        value vocabulary (NodeID, Endpoint, Timestamp), bencode, framing, message codec
//   DHTCore        sans-I/O Kademlia engine: routing, lookups, records, events
//   DHTStorage     SQLite persistence of records and node state (CSQLite, Debian's libsqlite3)
//   DHTRuntime     binds the engine to a UDP socket, Dispatch queues and the storage
//   BitDustRecords BitDust's record types: keys, JSON as BitDust writes it, rules, readable views
//   ConsoleModel   folds node events into what the console panes show (no terminal)
//   ConsoleTUI     draws ConsoleModel with ncursesw (CNCursesw) and reads keys
//   NodeConsole    binds a running node to the console: snapshots, commands, the sandbox
//   DHTControl     the local control socket (attach, status) and the metrics endpoint
//   dhtop          the executable: argument parsing and wiring
let package = Package(
    name: "dhtop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dhtop", targets: ["dhtop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "DHTWire"),
        .target(name: "DHTCore", dependencies: ["DHTWire"]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "DHTStorage", dependencies: ["DHTCore", "CSQLite"]),
        .target(name: "DHTRuntime", dependencies: [
            "DHTCore", "DHTStorage", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "DHTTestSupport", dependencies: ["DHTCore"]),
        .target(name: "BitDustRecords", dependencies: ["DHTCore"]),
        .target(name: "ConsoleModel", dependencies: ["DHTCore", "BitDustRecords", .product(name: "TOMLKit", package: "TOMLKit")]),
        .systemLibrary(name: "CNCursesw", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "ConsoleTUI", dependencies: ["ConsoleModel", "CNCursesw"]),
        .target(name: "NodeConsole", dependencies: ["DHTRuntime", "ConsoleModel", "BitDustRecords"]),
        .target(name: "DHTControl", dependencies: ["NodeConsole", "DHTRuntime", "ConsoleModel"]),
        .executableTarget(name: "dhtop", dependencies: [
            "DHTRuntime", "DHTStorage", "ConsoleModel", "ConsoleTUI", "BitDustRecords", "NodeConsole", "DHTControl",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DHTWireTests", dependencies: ["DHTWire"]),
        .testTarget(name: "DHTCoreTests", dependencies: ["DHTCore", "DHTTestSupport"]),
        .testTarget(name: "DHTStorageTests", dependencies: ["DHTStorage"]),
        .testTarget(name: "DHTRuntimeTests", dependencies: ["DHTRuntime", "DHTTestSupport"]),
        .testTarget(name: "ConsoleModelTests", dependencies: ["ConsoleModel", "DHTTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ConsoleTUITests", dependencies: ["ConsoleTUI"], exclude: ["Snapshots"]),
        .testTarget(name: "BitDustRecordsTests", dependencies: ["BitDustRecords"]),
        .testTarget(name: "NodeConsoleTests", dependencies: ["NodeConsole", "DHTTestSupport"]),
        .testTarget(name: "DHTControlTests", dependencies: ["DHTControl"]),
        .testTarget(name: "ConsoleEndToEndTests", dependencies: ["DHTRuntime"]),
        .testTarget(name: "InteropTests", dependencies: ["DHTWire", "DHTCore", "BitDustRecords", "DHTRuntime"]),
        .testTarget(name: "HostNetworkTests", dependencies: ["DHTRuntime"]),
    ],
    swiftLanguageModes: [.v6]
)
