import Testing

@testable import StrataEngine

/// When the loop has work next: a value with no I/O.
@Suite struct LoopScheduleTests {
    func schedule() -> LoopSchedule {
        LoopSchedule(storePollInterval: 0.02, resyncInterval: 2, statusInterval: 1, debounce: 0.02)
    }

    @Test func sleepsUntilTheEarliestDueMoment() {
        var schedule = schedule()
        // Given everything done at t = 100
        schedule.checkedStore(at: 100)
        schedule.reconciled(at: 100, token: StoreChangeToken(generation: 1))
        let saved = schedule.takeStatusSave(at: 100)
        #expect(saved)
        // Then the token poll is next, unless the feed's tick comes first
        #expect(schedule.nextDue(feedDue: nil) == 100.02)
        #expect(schedule.nextDue(feedDue: 100.01) == 100.01)
        #expect(!schedule.storeCheckDue(at: 100.01))
        #expect(!schedule.resyncDue(at: 101.9))
        #expect(schedule.resyncDue(at: 102))
        let savedAgain = schedule.takeStatusSave(at: 100.5)
        #expect(!savedAgain)
    }

    @Test func aSaveIsReloadedAfterTheDebounceAndAStoreWriteIsCheckedAtOnce() {
        var schedule = schedule()
        schedule.checkedStore(at: 100)
        schedule.reconciled(at: 100, token: StoreChangeToken(generation: 1))
        _ = schedule.takeStatusSave(at: 100)
        schedule.woken([.fileSaved, .storeChanged], at: 100.001)
        #expect(schedule.storeCheckDue(at: 100.001))
        #expect(schedule.nextDue(feedDue: nil) <= 100.001)
        schedule.checkedStore(at: 100.002)
        let early = schedule.takeReload(at: 100.01)
        #expect(!early)
        #expect(schedule.nextDue(feedDue: nil) == 100.001 + 0.02)  // the reload, before the next poll
        let due = schedule.takeReload(at: 100.03)
        #expect(due)
        let again = schedule.takeReload(at: 100.04)
        #expect(!again)  // once
    }
}
