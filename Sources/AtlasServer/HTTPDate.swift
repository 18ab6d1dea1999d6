import Foundation

/// HTTP dates (RFC 9110 §5.6.7): the `Date:` header line, formatted once per second, and the parsing of
/// IMF-fixdate values such as `If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT`.
struct HTTPDate {
    private var second = -1
    private var cached: [UInt8] = []

    mutating func line() -> [UInt8] {
        var now = time(nil)
        if Int(now) == second { return cached }
        second = Int(now)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &parts)
        cached = buffer.prefix(n).map { UInt8(bitPattern: $0) }
        return cached
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since 1970 for an IMF-fixdate; nil for anything else (the obsolete forms included, which a
    /// server may ignore: the condition is then not applied).
    static func parse(_ text: String) -> Int? {
        // "Sun, 06 Nov 1994 08:49:37 GMT"
        let f = text.split(separator: " ", omittingEmptySubsequences: false)
        guard f.count == 6, f[0].count == 4, f[0].hasSuffix(","), f[5] == "GMT", f[1].count == 2, f[3].count == 4,
              let day = Int(f[1]), let month = months.firstIndex(of: String(f[2])), let year = Int(f[3]) else { return nil }
        let clock = f[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let sec = Int(clock[2]),
              (1...31).contains(day), (1970...9999).contains(year), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(sec)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(sec)
        return Int(timegm(&parts))
    }
}
