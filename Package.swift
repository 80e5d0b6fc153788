// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "strata", targets: ["strata"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.27.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Lua 5.4 from the system (Debian: liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // C for what Swift cannot or must not do: Lua's macros, raising errors, the hook,
        // the allocator, the watchdog and the sandboxed library functions.
        .target(
            name: "CStrataLua",
            dependencies: ["CLua"]
        ),
        .target(name: "LuaBridge", dependencies: ["CStrataLua"]),
        // zlib from the system (Debian: zlib1g-dev), for gzip-compressed bar files.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "StrataRuntime", dependencies: ["LuaBridge", "CZlib"]),
        // Starting and confining worker processes (posix_spawn, rlimits, seccomp).
        .target(name: "CStrataIsolation"),
        // Strategies in worker processes: the channel, the process handle, confinement, and the
        // isolated check.
        .target(name: "StrataIsolation", dependencies: ["CStrataIsolation", "CStrataLua", "StrataRuntime"]),
        // The store protocol and the engine's records; no database import here.
        .target(name: "StrataEngine", dependencies: ["StrataRuntime", "StrataIsolation", "CStrataIsolation"]),
        // SQLite through GRDB: the only target that imports the database library.
        .target(
            name: "StrataPersistence",
            dependencies: [
                "StrataEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // PostgreSQL through PostgresNIO: the store for several nodes; the only target that imports it.
        .target(
            name: "StrataPostgres",
            dependencies: [
                "StrataEngine",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Live market data from an exchange's public WebSocket streams (swift-websocket's WSClient);
        // the only target that imports the WebSocket client.
        .target(
            name: "StrataLiveFeed",
            dependencies: [
                "StrataEngine",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Webhooks: turns engine events into signed POSTs, with retries and a delivery log.
        .target(
            name: "StrataNotify",
            dependencies: [
                "StrataEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP API, the dashboard's files and /metrics (Hummingbird).
        .target(
            name: "StrataHTTP",
            dependencies: [
                "StrataEngine",
                "StrataIsolation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Dashboard")]
        ),
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataRuntime",
                "StrataEngine",
                "StrataPersistence",
                "StrataPostgres",
                "StrataHTTP",
                "StrataIsolation",
                "StrataLiveFeed",
                "StrataNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge"]),
        .testTarget(
            name: "StrataRuntimeTests",
            dependencies: ["StrataRuntime"],
            resources: [.copy("Fixtures")]
        ),
        // Hostile/: the live hostile suite's Lua scripts, read from the repository by path.
        .testTarget(name: "StrataCLITests", dependencies: ["strata", "StrataPostgres"], exclude: ["Hostile"]),
        .testTarget(name: "StrataIsolationTests", dependencies: ["StrataIsolation"]),
        .testTarget(name: "StrataPersistenceTests", dependencies: ["StrataPersistence", "StrataPostgres"]),
        .testTarget(name: "StrataEngineTests", dependencies: ["StrataEngine", "StrataPersistence"]),
        // Fixtures/: Binance frames written from its documented formats, played by a local server.
        .testTarget(
            name: "StrataLiveFeedTests",
            dependencies: [
                "StrataLiveFeed",
                "StrataHTTP",
                "StrataPersistence",
                "strata",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "StrataNotifyTests",
            dependencies: [
                "StrataNotify",
                "StrataPersistence",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "StrataHTTPTests",
            dependencies: [
                "StrataHTTP",
                "StrataPersistence",
                "StrataPostgres",
                "StrataLiveFeed",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
