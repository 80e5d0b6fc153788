import Foundation
import StrataRuntime
import Testing

/// `strata webhook …` run as real processes against a temporary database file.
@Suite struct WebhookCommandTests {
    @Test func addListDeliveriesAndRemove() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path

        // A webhook with its secret from the environment: shown without it
        let added = try strata(
            ["webhook", "add", "https://hooks.example.com/x", "--events", "fill,notify", "--secret-env", "HOOK_SECRET", "--db", db, "--json"],
            environment: ["HOOK_SECRET": "from-env"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.json?["has_secret"] == .bool(true) && added.json?["events"] == .array([.string("fill"), .string("notify")]))
        #expect(!added.stdout.contains("from-env"))

        let listed = try strata("webhook", "list", "--db", db)
        #expect(listed.status == 0 && listed.stdout.contains("https://hooks.example.com/x") && listed.stdout.contains("signed"))
        #expect(!listed.stdout.contains("from-env"))
        let log = try strata("webhook", "deliveries", "1", "--db", db)
        #expect(log.status == 0 && log.stdout.contains("no deliveries yet"))

        #expect(try strata("webhook", "remove", "1", "--db", db).status == 0)
        let again = try strata("webhook", "remove", "1", "--db", db)
        #expect(again.status == 1 && again.stderr.contains("no webhook 1"))
        #expect(try strata("webhook", "deliveries", "1", "--db", db).status == 1)
    }

    @Test(arguments: [
        (["ftp://x.example/", "--events", "fill"], "only http and https"),
        (["not a url", "--events", "fill"], "percent-encode"),
        (["https://x.example/", "--events", "fill,fils"], "unknown event 'fils'"),
        (["https://x.example/", "--events", ""], "no events given"),
        (["https://x.example/", "--events", "fill", "--secret", String(repeating: "s", count: 300)], "at most 256"),
        (["https://x.example/", "--events", "fill", "--secret-env", "STRATA_NO_SUCH_VARIABLE"], "no environment variable"),
    ])
    func badInputExitsTwoNamingTheProblem(arguments: [String], words: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata(["webhook", "add"] + arguments + ["--db", folder.appendingPathComponent("strata.db").path])
        #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains(words), "\(run.stderr)")
    }
}
