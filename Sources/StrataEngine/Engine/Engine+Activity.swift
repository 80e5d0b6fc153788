import Foundation
import StrataRuntime

extension Engine {
    /// Writes what the instances did since the last call — orders and fills from the paper
    /// broker, observe-mode signals, log lines — to the store, so a crash loses at most one
    /// loop step. (To be completed: see the engine issue.)
    public func flushActivity() throws {}
}
