import HummingbirdTesting
import Testing
@testable import StrataHTTP
