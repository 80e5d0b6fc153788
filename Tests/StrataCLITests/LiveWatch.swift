import Foundation
import StrataRuntime
import Testing

/// What the live hostile suite has seen of its server so far: each hostile instance's errors,
/// the canary's log, the answers to render requests, and unanswered requests.
struct LiveWatch {
    let fixtures: [HostileFixture]
    /// Per hostile instance, every distinct (kind, message) it was seen in `error` with.
    var errors: [String: [(kind: String, message: String)]] = [:]
    /// The latest status row of each instance.
    var latest: [String: [String: JSONValue]] = [:]
    var canaryLines: [Canary.Line] = []
    var lastLogID: Int64 = 0
    /// Answers to `GET …/ui` for the fixtures that attack through render().
    var rendered: [String: (status: Int, body: JSONValue?)?] = [:]
    var unanswered = 0

    init(fixtures: [HostileFixture]) {
        self.fixtures = fixtures
    }

    mutating func observe(_ statuses: [String: [String: JSONValue]]) {
        latest = statuses
        for fixture in fixtures {
            guard let row = statuses[fixture.name] else { continue }
            // A neighbour's stuck call restarted this instance's worker after its render attack
            // was asked and before the instance failed: the attack is asked again, on the new worker.
            if fixture.render != nil, errors[fixture.name] == nil, rendered[fixture.name] != nil,
                row["status"]?.stringValue == "running", row["last_error_kind"]?.stringValue == "restarted"
            {
                rendered[fixture.name] = nil
            }
            guard row["status"]?.stringValue == "error" else { continue }
            let kind = row["last_error_kind"]?.stringValue ?? ""
            let message = row["last_error_message"]?.stringValue ?? ""
            if !(errors[fixture.name] ?? []).contains(where: { $0.kind == kind && $0.message == message }) {
                errors[fixture.name, default: []].append((kind, message))
            }
        }
    }

    /// Render attacks not asked for yet, whose instance runs and has ticked.
    func renderDue() -> [HostileFixture] {
        fixtures.filter { fixture in
            guard fixture.render != nil, rendered[fixture.name] == nil, let row = latest[fixture.name] else { return false }
            guard case .integer(let ticks)? = row["ticks"] else { return false }
            return row["status"]?.stringValue == "running" && ticks >= 5
        }
    }

    /// Every hostile instance has failed at least once and none runs now, and every render
    /// attack was asked for.
    var settled: Bool {
        fixtures.allSatisfy { fixture in
            errors[fixture.name] != nil && latest[fixture.name]?["status"]?.stringValue != "running"
                && (fixture.render == nil || rendered[fixture.name] != nil)
        }
    }

    /// Records an issue unless `fixture`'s instance failed, only with the kinds its header
    /// allows, each time with a cause, and never because its attack worked.
    func expectOutcome(of fixture: HostileFixture) {
        let last = latest[fixture.name].map { JSONValue.object($0).encoded() } ?? "no status"
        guard let seen = errors[fixture.name] else {
            Issue.record("\(fixture): never in error; last status: \(last)")
            return
        }
        for (kind, message) in seen {
            #expect(fixture.live.contains(kind), "\(fixture): error kind \(kind) (\(message)), expected \(fixture.live)")
            #expect(!message.isEmpty, "\(fixture): an error without a cause")
            #expect(!message.contains(HostileFixture.successMarker), "\(fixture): \(message)")
        }
        #expect(latest[fixture.name]?["status"]?.stringValue != "running", "\(fixture): running at the end: \(last)")
        guard let expected = fixture.render else { return }
        guard let answer = rendered[fixture.name] ?? nil else {
            Issue.record("\(fixture): render was not answered")
            return
        }
        let kind = answer.body?["error"]?["kind"]?.stringValue
        // A worker that died while rendering leaves the instance failed: 409, not running.
        let refused = answer.status == 200 ? kind.map(expected.contains) == true : answer.status == 409 && expected.contains("crashed")
        #expect(refused, "\(fixture): render answered \(answer.status) \(answer.body?.encoded() ?? "")")
    }
}
