// swift-tools-version:6.0
import PackageDescription

// Layers, bottom up (a layer never imports one above it):
//   DHTWire        value vocabulary (NodeID, Endpoint, Timestamp), bencode, framing, message codec
//   DHTCore        sans-I/O Kademlia engine: routing, lookups, records, timed events; the store
//                  rule is injected (no record format, no Foundation)
//   DHTStorage     SQLite persistence of records and node state (CSQLite, Debian's libsqlite3)
//   DHTRuntime     binds the engine to a UDP socket, Dispatch queues and the storage
//                  (CUDPBatch: recvmmsg/sendmmsg, which Glibc's Swift module leaves out)
//   BitDustRecords BitDust's record types: keys, JSON as BitDust writes it, rules (the store rule
//                  every node runs, with typed refusals), readable views; the one escaper (Sanitizer)
//   NodeAPI        the node commands, their outcomes (one text and one JSON rendering), snapshots,
//                  the backend protocol, the key rule, the JSON model and the event JSON
//   LocalNode      NodeAPI served by a DHTNode in this process: the backend every command runs through
//   ConsoleModel   folds node events into what the console panes show (no terminal); the prompt;
//                  the themes of themes/*.toml built in (the ThemeEmbedder plugin runs
//                  ThemeEmbedderTool at build time)
//   ConsoleTUI     draws ConsoleModel with ncursesw (CNCursesw) and reads keys
//   DemoConsole    `dhtop --demo`: the console fed by a made-up node (no network)
//   NodeConsole    binds a running node to the console: the session feeding it, the sandbox
//   DHTControl     the local control socket (attach, status; versioned `Wire` types) and the
//                  metrics endpoint (no console)
//   ProcessLaunch  starting a child process with no signal blocked (benchmarks, tests)
//   DHTSimulation  thousands of engines on a simulated network (latency, loss, churn, workload)
//   DHTBench       `dhtop bench`: codec, loopback load, lookup latency, idle memory, --simulate
//   dhtop          the executable: argument parsing and wiring
// Test-only: DHTTestSupport (a simulated network of engines, Entangled's lookup termination);
// SimulateCompare (scripts/simulate-compare: the product's and Entangled's rows); TestKit (Tests/TestKit: temporary
// directories, repository paths, `eventually`, the process runner, long-running children,
// loopback nodes), used by every test target that runs processes, touches files or starts nodes.
let package = Package(
    name: "dhtop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dhtop", targets: ["dhtop"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
    ],
    targets: [
        .target(name: "DHTWire"),
        .target(name: "DHTCore", dependencies: ["DHTWire"]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "DHTStorage", dependencies: ["DHTCore", "CSQLite"]),
        .target(name: "CUDPBatch"),
        .target(
            name: "DHTRuntime",
            dependencies: [
                "DHTCore", "DHTStorage", "CUDPBatch", .product(name: "Logging", package: "swift-log")
            ]),
        .target(name: "ProcessLaunch"),
        .target(name: "DHTSimulation", dependencies: ["DHTCore"]),
        .target(name: "DHTBench", dependencies: ["DHTRuntime", "BitDustRecords", "NodeAPI", "ProcessLaunch", "DHTSimulation"]),
        .target(name: "DHTTestSupport", dependencies: ["DHTCore"]),
        .executableTarget(name: "SimulateCompare", dependencies: ["DHTBench", "DHTSimulation", "DHTTestSupport"]),
        .target(name: "BitDustRecords", dependencies: ["DHTCore"]),
        .target(name: "NodeAPI", dependencies: ["DHTCore", "BitDustRecords"]),
        .target(name: "LocalNode", dependencies: ["NodeAPI", "DHTRuntime", "BitDustRecords"]),
        .executableTarget(name: "ThemeEmbedderTool"),
        .plugin(name: "ThemeEmbedder", capability: .buildTool(), dependencies: ["ThemeEmbedderTool"]),
        .target(name: "ConsoleModel", dependencies: ["DHTCore", "BitDustRecords", "NodeAPI"], plugins: ["ThemeEmbedder"]),
        .systemLibrary(name: "CNCursesw", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "ConsoleTUI", dependencies: ["ConsoleModel", "NodeAPI", "BitDustRecords", "CNCursesw"]),
        .target(name: "DemoConsole", dependencies: ["ConsoleTUI", "ConsoleModel", "NodeAPI"]),
        .target(name: "NodeConsole", dependencies: ["LocalNode", "NodeAPI", "DHTRuntime", "ConsoleModel", "BitDustRecords"]),
        .target(name: "DHTControl", dependencies: ["LocalNode", "NodeAPI", "DHTRuntime"]),
        .executableTarget(
            name: "dhtop",
            dependencies: [
                "DHTRuntime", "DHTStorage", "NodeAPI", "LocalNode", "ConsoleModel", "ConsoleTUI", "BitDustRecords", "NodeConsole",
                "DHTControl", "DemoConsole", "DHTBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .target(name: "TestKit", dependencies: ["ProcessLaunch", "DHTRuntime", "DHTStorage", "BitDustRecords"], path: "Tests/TestKit"),
        .testTarget(name: "DHTWireTests", dependencies: ["DHTWire", "TestKit"]),
        .testTarget(name: "DHTCoreTests", dependencies: ["DHTCore", "DHTTestSupport", "BitDustRecords"]),
        .testTarget(name: "DHTSimulationTests", dependencies: ["DHTSimulation", "DHTTestSupport", "TestKit"]),
        .testTarget(name: "DHTStorageTests", dependencies: ["DHTStorage", "TestKit"]),
        .testTarget(name: "DHTBenchTests", dependencies: ["DHTBench", "DHTRuntime", "DHTStorage", "TestKit"]),
        .testTarget(name: "DHTRuntimeTests", dependencies: ["DHTRuntime", "DHTStorage", "BitDustRecords", "TestKit"]),
        .testTarget(name: "ConsoleModelTests", dependencies: ["ConsoleModel", "NodeAPI"], exclude: ["Fixtures"]),
        .testTarget(name: "ConsoleTUITests", dependencies: ["ConsoleTUI", "NodeAPI"], exclude: ["Snapshots"]),
        .testTarget(name: "BitDustRecordsTests", dependencies: ["BitDustRecords"]),
        .testTarget(name: "NodeAPITests", dependencies: ["NodeAPI"]),
        .testTarget(name: "NodeConsoleTests", dependencies: ["NodeConsole", "LocalNode", "NodeAPI", "TestKit"]),
        .testTarget(name: "DHTControlTests", dependencies: ["DHTControl", "NodeAPI", "LocalNode", "BitDustRecords", "TestKit"], exclude: ["Fixtures"]),
        .testTarget(name: "ConsoleEndToEndTests", dependencies: ["DHTRuntime", "TestKit"]),
        .testTarget(name: "InteropTests", dependencies: ["DHTWire", "DHTCore", "BitDustRecords", "DHTRuntime", "TestKit"]),
        .testTarget(name: "HostNetworkTests", dependencies: ["DHTRuntime", "TestKit"]),
        .testTarget(name: "InstallTests", dependencies: ["DHTControl", "TestKit"]),
        .testTarget(name: "TestKitTests", dependencies: ["TestKit"])
    ],
    swiftLanguageModes: [.v6]
)
