import Testing

/// Every HTTP test, one at a time: each starts a real engine (and some a `strata serve`
/// process), and running them all at once beside the rest of the package's tests would load a
/// small machine enough to disturb the timing tests of other targets.
@Suite(.serialized) struct StrataHTTPSuite {}
