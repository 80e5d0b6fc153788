import ArgumentParser
import Foundation
import StrataEngine
import StrataIsolation
import StrataPersistence
import StrataRuntime

/// The options every `strata instance` subcommand shares: where the database and the scripts are.
struct InstanceOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file (created with the schema if missing) or a postgres://USER@HOST:PORT/DATABASE URL.")
    var db = "strata.db"

    @Option(help: "The folder of strategy types (TYPE.lua).")
    var strategies = "strategies-lua"

    /// Opens the store, or exits 1 with the store's error.
    func openStore(json: Bool) -> any InstanceStore {
        do {
            return try StoreOpening.open(db)
        } catch {
            InstanceFailure.exit(Self.describe(error, database: StoreOpening.describe(db)), json: json)
        }
    }

    /// Loads `DIR/TYPE.lua` and checks it in a scratch sandbox; exits 1 with the script's error
    /// (or the missing file) when it cannot be used.
    func schema(strategyType: String, identity: InstanceIdentity, json: Bool) -> (StrategyScript, ConfigSchema) {
        let path = URL(fileURLWithPath: strategies).appendingPathComponent("\(strategyType).lua").path
        guard let data = FileManager.default.contents(atPath: path) else {
            InstanceFailure.exit("no strategy type \(strategyType): \(path) not found or not readable", json: json)
        }
        let offered = StrategyScript.file(URL(fileURLWithPath: path), name: strategyType, source: String(decoding: data, as: UTF8.self))
        do throws(StrategyError) {
            // The file may be third-party: it is loaded in a confined worker first.
            if let error = IsolatedLoadCheck(script: offered, limits: .standard).run() { throw error }
            let (script, schema) = try StrategyInstance.prepare(offered, identity: identity)
            return (script, schema)
        } catch {
            var message = "strategy \(strategyType) does not load: \(error)"
            if let traceback = error.traceback { message += "\n" + traceback }
            InstanceFailure.exit(message, json: json)
        }
    }

    /// A store error (or anything else thrown while talking to the database) as one sentence.
    static func describe(_ error: any Error, database: String) -> String {
        if let error = error as? StoreError {
            return [.notFound, .alreadyExists, .conflict].contains(error.code)
                ? error.message : "database \(database): \(error)"
        }
        return "database \(database): \(error)"
    }
}

extension InstanceOptions {
    /// Runs one store call; a thrown error exits 1 with a clear message (never a crash).
    func perform<T>(json: Bool, _ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            InstanceFailure.exit(Self.describe(error, database: StoreOpening.describe(db)), json: json)
        }
    }

    /// The instance `id`, or exit 1 with "no instance ID".
    func requireInstance(_ id: String, in store: any InstanceStore, json: Bool) -> InstanceRecord {
        guard let record = perform(json: json, { try store.instance(id: id) }) else {
            InstanceFailure.exit("no instance \(id)", json: json)
        }
        return record
    }
}

/// Failures about data (exit 1), as opposed to bad usage (exit 2, `failUsage`).
enum InstanceFailure {
    /// Prints `message` (stderr, or `{"ok": false, "error": …}` on stdout with --json) and exits 1.
    static func exit(_ message: String, json: Bool) -> Never {
        if json {
            print(JSONValue.object(["ok": .bool(false), "error": .string(message)]).encoded())
        } else {
            FileHandle.standardError.write(Data("strata: \(message)\n".utf8))
        }
        Foundation.exit(1)
    }

    /// Reports the script's error on a config tried before it is stored, and exits 1.
    static func exit(_ failure: StrategyError, json: Bool) -> Never {
        if json {
            var error: [String: JSONValue] = ["field": .string(""), "message": .string(failure.trialSummary)]
            if let traceback = failure.traceback { error["traceback"] = .string(traceback) }
            print(JSONValue.object(["ok": .bool(false), "errors": .array([.object(error)])]).encoded())
        } else {
            var text = "strata: config refused: \(failure.trialSummary)\n"
            if let traceback = failure.traceback { text += traceback + "\n" }
            FileHandle.standardError.write(Data(text.utf8))
        }
        Foundation.exit(1)
    }

    /// Reports every refused config field (or other `subject`'s) and exits 1.
    static func exit(_ errors: ConfigErrors, json: Bool, subject: String = "config") -> Never {
        if json {
            let list = errors.fields.map { JSONValue.object(["field": .string($0.field), "message": .string($0.message)]) }
            print(JSONValue.object(["ok": .bool(false), "errors": .array(list)]).encoded())
        } else {
            let text = errors.fields.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            FileHandle.standardError.write(Data("strata: invalid \(subject): \(text)\n".utf8))
        }
        Foundation.exit(1)
    }
}

extension ParsableCommand {
    /// `text` as a mode, or exit 2 naming the bad value and the choices.
    func parseMode(_ text: String, option: String) -> InstanceMode {
        guard let mode = InstanceMode(rawValue: text) else {
            failUsage("\(option) must be off, observe or active; got '\(text)'")
        }
        return mode
    }
}
