import Hummingbird
import Metrics
import Prometheus
import StrataEngine
