import Foundation

/// A webhook as a user asks for it, checked before it is stored: the URL, the events, the
/// secret. Every value comes from a user (CLI, API), so every one is bounded.
public struct WebhookSpec: Sendable, Equatable {
    /// The longest URL accepted (bytes).
    public static let maxURLBytes = 2_048
    /// The longest secret accepted (characters, as JSON Schema's `maxLength` counts them); an HMAC
    /// key longer than SHA-256's block is hashed anyway.
    public static let maxSecretCharacters = 256
    /// The most webhooks a store holds (each has its own queue and delivery task).
    public static let maxWebhooks = 50

    public var url: String
    public var events: [WebhookEventType]
    public var secret: String?
    public var enabled: Bool

    /// Checks each value; every problem is reported, each naming the field and how to fix it.
    /// - Parameters:
    ///   - events: event names (see ``WebhookEventType``); duplicates are folded.
    /// - Throws: ``WebhookSpecError`` listing the problems.
    public init(url: String, events: [String], secret: String?, enabled: Bool = true) throws {
        var problems: [WebhookSpecError.Problem] = []
        if let reason = Self.problem(url: url) { problems.append(.init(field: "url", message: reason)) }
        var types = Set<WebhookEventType>()
        if events.isEmpty {
            problems.append(.init(field: "events", message: "no events given; name at least one of: \(WebhookEventType.names)"))
        }
        for name in events.prefix(100) {
            if let type = WebhookEventType(rawValue: name) {
                types.insert(type)
            } else {
                problems.append(
                    .init(field: "events", message: "unknown event '\(name.prefix(40))'; the events are: \(WebhookEventType.names)"))
            }
        }
        if events.count > 100 {
            problems.append(.init(field: "events", message: "\(events.count) events given; there are \(WebhookEventType.allCases.count)"))
        }
        if let secret {
            let characters = secret.unicodeScalars.count
            if characters == 0 {
                problems.append(.init(field: "secret", message: "the secret is empty; give one, or none to post unsigned"))
            } else if characters > Self.maxSecretCharacters {
                problems.append(
                    .init(field: "secret", message: "the secret is \(characters) characters; at most \(Self.maxSecretCharacters)"))
            } else if secret.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append(.init(field: "secret", message: "the secret holds control characters; use printable text"))
            }
        }
        guard problems.isEmpty else { throw WebhookSpecError(problems: problems) }
        self.url = url
        self.events = types.sorted()
        self.secret = secret
        self.enabled = enabled
    }

    /// Why `url` cannot be a webhook's, or nil when it can.
    public static func problem(url: String) -> String? {
        let bytes = url.utf8.count
        if bytes == 0 { return "the URL is empty; give an http:// or https:// URL" }
        if bytes > maxURLBytes { return "the URL is \(bytes) bytes; at most \(maxURLBytes)" }
        if url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0.value > 0x7E }) {
            return "the URL holds spaces, control or non-ASCII characters; percent-encode them"
        }
        if url.contains(where: { "<>\"{}|\\^`".contains($0) }) {
            return "the URL holds characters a URL cannot hold as they are (< > \" { } | \\ ^ `); percent-encode them"
        }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "'\(url.prefix(80))' is not a URL; give an http:// or https:// URL"
        }
        guard scheme == "http" || scheme == "https" else {
            return "the URL's scheme is '\(scheme.prefix(20))'; only http and https are posted to"
        }
        guard let host = parts.host, !host.isEmpty else { return "the URL has no host; give one, e.g. https://example.com/hook" }
        if parts.user != nil || parts.password != nil {
            return "the URL holds a user name or password, which the API would show; put a token in the path or use the secret"
        }
        if parts.fragment != nil { return "the URL has a fragment (#…), which is never sent; remove it" }
        if let port = parts.port, !(1...65_535).contains(port) { return "the URL's port \(port) is not between 1 and 65535" }
        return nil
    }
}

/// Why a webhook was refused: each field's problem.
public struct WebhookSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        /// `url`, `events` or `secret`.
        public var field: String
        public var message: String
    }

    public var problems: [Problem]

    public var description: String {
        problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
