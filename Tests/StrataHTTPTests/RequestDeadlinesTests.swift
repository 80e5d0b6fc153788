import NIOCore
import Testing

@testable import StrataHTTP

extension StrataHTTPSuite {
    /// The deadline state machine alone, on made-up instants (no I/O).
    @Suite struct RequestDeadlinesTests {
        static func at(_ milliseconds: Int64) -> NIODeadline { .uptimeNanoseconds(UInt64(milliseconds) * 1_000_000) }

        static func machine() -> RequestDeadlines {
            RequestDeadlines(headerTimeout: .milliseconds(100), bodyTimeout: .milliseconds(500))
        }

        @Test func aHeadMustFollowItsFirstBytesInTime() {
            var deadlines = Self.machine()
            #expect(deadlines.bytesArrived(now: Self.at(1000)) == .arm(Self.at(1100)))
            #expect(deadlines.bytesArrived(now: Self.at(1050)) == .none, "more bytes of the same head do not extend it")
            #expect(deadlines.timerFired(now: Self.at(1099)) == .arm(Self.at(1100)), "early: re-armed")
            #expect(deadlines.timerFired(now: Self.at(1100)) == .refuseSlowHead)
            #expect(deadlines.phase == .expired)
            #expect(deadlines.headReceived(now: Self.at(1200)) == .none, "nothing after expiry")
        }

        @Test func aBodyMustFollowItsHeadInTime() {
            var deadlines = Self.machine()
            _ = deadlines.bytesArrived(now: Self.at(0))
            #expect(deadlines.headReceived(now: Self.at(50)) == .arm(Self.at(550)))
            #expect(deadlines.timerFired(now: Self.at(550)) == .failSlowBody)
        }

        @Test func aResponseHasNoDeadlineAndAnIdleConnectionNone() {
            var deadlines = Self.machine()
            _ = deadlines.headReceived(now: Self.at(0))
            #expect(deadlines.endReceived() == .disarm)
            #expect(deadlines.timerFired(now: Self.at(100_000)) == .none, "a long event stream")
            #expect(deadlines.responseEnded(now: Self.at(100_000)) == .none)
            #expect(deadlines.phase == .waiting)
            #expect(deadlines.timerFired(now: Self.at(200_000)) == .none, "idle is the idle timeout's business")
        }

        @Test func bytesOfAPipelinedRequestStartItsClockWhenTheAnswerEnds() {
            var deadlines = Self.machine()
            _ = deadlines.headReceived(now: Self.at(0))
            _ = deadlines.endReceived()
            #expect(deadlines.bytesArrived(now: Self.at(10)) == .none)
            #expect(deadlines.responseEnded(now: Self.at(20)) == .arm(Self.at(120)))
            #expect(deadlines.headReceived(now: Self.at(30)) == .arm(Self.at(530)))
        }
    }
}
