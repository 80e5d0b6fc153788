import Crypto
import Foundation

/// The signature a receiver checks: header `Strata-Signature: t=<unix seconds>,v1=<hex>`, where
/// `<hex>` is the lowercase hex HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes),
/// of the ASCII timestamp, a `.`, and the exact body bytes. The timestamp is the attempt's, so a
/// receiver can refuse old deliveries (a replay) by comparing it with its clock.
public enum WebhookSignature {
    /// The header's name.
    public static let header = "Strata-Signature"

    /// The header's value for `body` posted at `timestamp` (Unix seconds).
    public static func value(body: String, timestamp: Int64, secret: String) -> String {
        "t=\(timestamp),v1=\(hex(body: body, timestamp: timestamp, secret: secret))"
    }

    /// The hex digest alone.
    public static func hex(body: String, timestamp: Int64, secret: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` signs `body` with `secret`, at most `tolerance` seconds from `now`:
    /// what a receiver written in Swift does (compared in constant time).
    public static func verify(header: String, body: String, secret: String, now: Date = Date(), tolerance: Double = 300) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let key = SymmetricKey(data: Data(secret.utf8))
        return signatures.contains { signature in
            guard let bytes = Self.bytes(hex: signature) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: Data("\(timestamp).\(body)".utf8), using: key)
        }
    }

    private static func bytes(hex: String) -> Data? {
        guard hex.utf8.count == 64 else { return nil }
        var data = Data(capacity: 32)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
