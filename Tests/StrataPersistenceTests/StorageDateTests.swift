import Foundation
import GRDB
import Testing

@testable import StrataPersistence

/// The store's own date text is GRDB's, byte for byte, so rows written either way read back alike.
@Suite struct StorageDateTests {
    @Test func writesTheTextGRDBWrites() {
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_700_000_000),
            Date(timeIntervalSince1970: 1_700_000_000.123), Date(timeIntervalSince1970: 1_700_000_000.9999),
            Date(timeIntervalSince1970: 951_782_400.5), Date(timeIntervalSince1970: 4_102_444_799.001), Date(),
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { dates.append(Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000, using: &generator))) }
        for date in dates {
            #expect(StorageDate.text(date).databaseValue == date.databaseValue, "\(date.timeIntervalSince1970)")
        }
    }
}
