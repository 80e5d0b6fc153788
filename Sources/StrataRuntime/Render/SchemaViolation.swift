import Foundation

/// One way a value fails a schema: where, and what is wrong there.
struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// A step into a JSON document: an object member or an array element.
    enum PathComponent: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var path: [PathComponent]
    var message: String
    /// Whether the value at `path` had the wrong JSON type: the branch of a union that failed
    /// this way got less far than one that failed on the value's contents.
    var isTypeMismatch = false

    /// The path as a reader writes it, `widgets[2].series[0].data[5]`; `(root)` for the document.
    var pathDescription: String {
        guard !path.isEmpty else { return "(root)" }
        var text = ""
        for component in path {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where key.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil:
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(JSONValue.string(key).encoded())]"
            }
        }
        return text
    }

    var description: String { "\(pathDescription): \(message)" }

    /// Compares how far into the document two failures got: +1 if this one went further, -1 if
    /// `other` did, 0 if neither can be said to.
    func progress(comparedTo other: SchemaViolation) -> Int {
        for (mine, theirs) in zip(path, other.path) where mine != theirs {
            if case .index(let i) = mine, case .index(let j) = theirs { return i > j ? 1 : -1 }
            return 0
        }
        if path.count != other.path.count { return path.count > other.path.count ? 1 : -1 }
        if isTypeMismatch != other.isTypeMismatch { return isTypeMismatch ? -1 : 1 }
        return 0
    }
}
