import Foundation
import Testing

@testable import StrataIsolation

/// The pieces of process isolation, with real processes and real sockets.
@Suite struct WorkerIsolationTests {
    @Test func aConfinedProcessCanNeitherOpenNorConnectNorForkNorExec() throws {
        // Given the confinement of a worker, applied to a forked child
        let left = try #require(WorkerConfinement(cpuSeconds: 5).probe())
        // Then every forbidden step failed (exec killed it)
        #expect(left == [])
    }

    @Test func framesCrossTheChannelWholeAndInOrder() throws {
        let (a, b) = try WorkerChannel.pair()
        // (small enough for the socket's buffer: one thread writes, then reads)
        let big = [UInt8](repeating: 7, count: 60_000)
        try a.send([1, 2, 3])
        try a.send([])
        try a.send(big)
        #expect(try b.receive() == [1, 2, 3])
        #expect(try b.receive() == [])
        #expect(try b.receive() == big)
    }

    @Test func aSilentPeerTimesOutAndAClosedOneIsClosed() throws {
        var (a, b): (WorkerChannel?, WorkerChannel) = try WorkerChannel.pair()
        #expect(throws: WorkerChannelError.timedOut) { try b.receive(until: .now + .milliseconds(50)) }
        _ = a
        a = nil
        #expect(throws: WorkerChannelError.closed) { try b.receive(until: .now + .seconds(5)) }
    }

    @Test func aFrameAboveTheLimitIsRefusedBeforeItIsRead() throws {
        let (a, b) = try WorkerChannel.pair()
        // A length prefix of 2^31 bytes, as a hostile worker could send
        var header: [UInt8] = [0, 0, 0, 0x80]
        _ = Glibc.send(a.descriptor, &header, 4, 0)
        #expect(throws: WorkerChannelError.tooLarge(1 << 31)) { try b.receive(until: .now + .seconds(5)) }
    }

    @Test func exitsAreDescribedInWords() {
        #expect(WorkerExit(waitStatus: 11).description == "killed by SIGSEGV")
        #expect(WorkerExit(waitStatus: 3 << 8).description == "exited with status 3")
        #expect(WorkerExit(waitStatus: SIGKILL).signalName == "SIGKILL")
    }
}
