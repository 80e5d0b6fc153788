import LuaBridge

extension Order {
    /// The order as a script sees it.
    var luaValue: LuaValue {
        var fields: [String: LuaValue] = [
            "id": .string(id), "side": .string(request.side.rawValue), "qty": .number(request.quantity),
            "type": .string(request.type.rawValue), "status": .string(status.rawValue),
            "filled_qty": .number(filledQuantity), "fee": .number(fee), "ts": .number(createdAt),
            "market": .string(market),
        ]
        if let price = request.price { fields["price"] = .number(price) }
        if let averagePrice { fields["avg_price"] = .number(averagePrice) }
        if let tag = request.tag { fields["tag"] = .string(tag) }
        return .table(fields)
    }
}

extension OrderRequest {
    /// The largest quantity or price accepted: beyond it a number is a bug, not an order.
    static let absurd = 1e12
    static let fields: Set<String> = ["side", "qty", "type", "price", "tag"]

    /// Reads and checks `place_order`'s argument (raw reads only).
    static func parse(_ state: LuaState, at index: Int32) -> Result<OrderRequest, OrderRejection> {
        guard state.type(at: index) == .table else {
            return .failure(OrderRejection("table expected, got \(state.type(at: index).name)"))
        }
        let value: LuaValue
        do {
            value = try state.value(at: index, limits: LuaReadLimits(maxDepth: 2, maxValues: 32, maxStringBytes: 4096))
        } catch {
            return .failure(OrderRejection("order table: \(error.message)"))
        }
        return parse(value)
    }

    /// Checks an order table: every field by name, in Lua's "bad argument" style.
    static func parse(_ value: LuaValue) -> Result<OrderRequest, OrderRejection> {
        func refuse(_ message: String) -> Result<OrderRequest, OrderRejection> { .failure(OrderRejection(message)) }
        let table: [String: LuaValue]
        switch value {
        case .table(let t): table = t
        case .array(let items) where items.isEmpty: table = [:]
        default: return refuse("order table must have named fields side, qty, type, price, tag")
        }
        if let unknown = table.keys.sorted().first(where: { !fields.contains($0) }) {
            return refuse("unknown field '\(unknown)' (fields: side, qty, type, price, tag)")
        }
        guard let sideName = table["side"]?.stringValue, let side = OrderSide(rawValue: sideName) else {
            return refuse("field 'side' must be \"buy\" or \"sell\", got \(describe(table["side"]))")
        }
        var type = OrderType.market
        if let typeValue = table["type"] {
            guard let name = typeValue.stringValue, let parsed = OrderType(rawValue: name) else {
                return refuse("field 'type' must be \"market\" or \"limit\", got \(describe(typeValue))")
            }
            type = parsed
        }
        guard let qty = table["qty"]?.doubleValue else { return refuse("field 'qty' must be a number, got \(describe(table["qty"]))") }
        if let problem = checkPositive(qty) { return refuse("field 'qty' \(problem)") }
        var price: Double?
        if let priceValue = table["price"] {
            guard type == .limit else { return refuse("field 'price' is only for limit orders (type = \"limit\")") }
            guard let p = priceValue.doubleValue else { return refuse("field 'price' must be a number, got \(describe(priceValue))") }
            if let problem = checkPositive(p) { return refuse("field 'price' \(problem)") }
            price = p
        } else if type == .limit {
            return refuse("field 'price' is required for limit orders")
        }
        var tag: String?
        if let tagValue = table["tag"] {
            guard let t = tagValue.stringValue, t.utf8.count <= 64 else { return refuse("field 'tag' must be a string of at most 64 bytes") }
            tag = t
        }
        return .success(OrderRequest(side: side, quantity: qty, type: type, price: price, tag: tag))
    }

    private static func checkPositive(_ number: Double) -> String? {
        if number.isNaN { return "must be a number, got NaN" }
        if number.isInfinite { return "must be finite, got \(number < 0 ? "-inf" : "inf")" }
        if number <= 0 { return "must be positive, got \(LogText.format(number))" }
        if !number.isNormal { return "is too small (subnormal)" }
        if number > absurd { return "is absurdly large (\(LogText.format(number)))" }
        return nil
    }

    private static func describe(_ value: LuaValue?) -> String {
        switch value {
        case nil, .nil?: return "nil"
        case .string(let s)?: return "\"\(s.prefix(40))\""
        case let v?: return v.typeName
        }
    }
}
