#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads decimal numbers straight from bytes, rounding exactly as `strtod` does.
///
/// Most prices have at most 15 significant digits and a small exponent; those take Clinger's fast
/// path: the digits as an integer (exact below 2^53) times or divided by an exact power of ten
/// (10^0 … 10^22) is one correctly rounded IEEE operation, so the result is the nearest double —
/// the same as `strtod`'s. Anything else (long mantissas, large exponents) goes to `strtod`.
enum DecimalNumberParser {
    /// The powers of ten a double holds exactly.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The number written in `bytes[start..<end]`, or nil unless that is a plain decimal number:
    /// an optional sign, digits with an optional `.` (`12`, `-1.5`, `.5`, `3.`), and an optional
    /// exponent (`1e-7`, `2.5E+3`). No spaces, hex, `inf` or `nan`. A huge exponent gives ±infinity.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative || bytes[i] == UInt8(ascii: "+") { i += 1 }

        // The first 19 significant digits fit a UInt64; more send the text to strtod.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        var needsStrtod = false
        while i < end {
            let digit = bytes[i] &- CSVByte.zero
            guard digit < 10 else { break }
            sawDigit = true
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if mantissa != 0 { significantDigits += 1 }
            } else {
                exponent += 1
                needsStrtod = true
            }
            i += 1
        }
        if i < end && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end {
                let digit = bytes[i] &- CSVByte.zero
                guard digit < 10 else { break }
                sawDigit = true
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    if mantissa != 0 { significantDigits += 1 }
                    exponent -= 1
                } else if digit != 0 {
                    needsStrtod = true
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            let negativeExponent = i < end && bytes[i] == UInt8(ascii: "-")
            if i < end && (negativeExponent || bytes[i] == UInt8(ascii: "+")) { i += 1 }
            var written = 0
            var sawExponentDigit = false
            while i < end {
                let digit = bytes[i] &- CSVByte.zero
                guard digit < 10 else { break }
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(digit) }
                i += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += negativeExponent ? -written : written
        }
        guard i == end else { return nil }

        if mantissa == 0 && !needsStrtod { return negative ? -0.0 : 0.0 }
        if !needsStrtod && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            let value = Double(mantissa)
            let scaled = exponent < 0 ? value / exactPowersOfTen[-exponent] : value * exactPowersOfTen[exponent]
            return negative ? -scaled : scaled
        }
        return parseWithStrtod(bytes, from: start, to: end)
    }

    /// The slow path: `strtod` on a null-terminated copy of the (already validated) text.
    @inline(never)
    static func parseWithStrtod(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for offset in 0..<length { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
            buffer[length] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &stop)
            if stop == buffer.baseAddress! + length { return value }
            // Only a non-C LC_NUMERIC makes strtod stop early (at the '.'); Swift's own parser
            // ignores the locale.
            return Double(String(decoding: UnsafeBufferPointer(start: bytes + start, count: length), as: UTF8.self)) ?? .nan
        }
    }
}
