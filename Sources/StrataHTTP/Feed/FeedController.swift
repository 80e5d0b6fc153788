import Foundation
import Hummingbird
import StrataEngine

/// `GET /api/feed`: where market data comes from and how it is doing: the connection, and per
/// market the ticks, gaps, duplicates, late trades, drops and whether it is stale.
struct FeedController<Context: RequestContext>: Sendable {
    let feed: any FeedStatusSource

    func addRoutes(to router: Router<Context>) {
        router.get("/api/feed") { _, _ in
            JSONResponse.make(APIJSON.feed(feed.feedHealth(now: Date().timeIntervalSince1970), now: Date().timeIntervalSince1970))
        }
    }
}
