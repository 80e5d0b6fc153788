import LuaBridge

extension StrategyInstance {
    /// Gives the script a global `strata_test_fault(kind)` that calls `commit` with its string
    /// argument. Only a worker started for fault-injection tests (`STRATA_TEST_FAULTS=1`) does
    /// this, so that a test script can crash or wedge its worker for real.
    public func exposeTestFault(_ commit: @escaping (String) -> Void) {
        lua.pushHostFunction { state in
            commit(state.string(at: 1) ?? "")
            return .values(0)
        }
        lua.setGlobal("strata_test_fault")
    }
}
