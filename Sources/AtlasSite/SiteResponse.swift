/// What the site answers for one path: the same value is sent by the server and written by the static builder.
public struct SiteResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// Extra header fields (Content-Disposition, Link, …).
    public var headers: [(name: String, value: String)]

    public init(status: Int = 200, contentType: String, body: [UInt8], headers: [(name: String, value: String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static func html(_ text: String, status: Int = 200, headers: [(name: String, value: String)] = []) -> SiteResponse {
        SiteResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(text.utf8), headers: headers)
    }

    static func json(_ value: JSON, status: Int = 200) -> SiteResponse {
        SiteResponse(status: status, contentType: "application/json; charset=utf-8", body: Array((value.serialized + "\n").utf8))
    }

    static func jsonText(_ text: String) -> SiteResponse {
        SiteResponse(contentType: "application/json; charset=utf-8", body: Array(text.utf8))
    }

    static func csv(_ text: String, filename: String) -> SiteResponse {
        SiteResponse(contentType: "text/csv; charset=utf-8", body: Array(text.utf8),
                     headers: [("Content-Disposition", "attachment; filename=\"\(filename)\"")])
    }
}

/// A request the site cannot answer, as the status and the page that explains it.
public enum SiteError: Error, Equatable {
    case notFound(String)
    /// A query parameter with a value outside its valid set.
    case badParameter(name: String, value: String, valid: [String])
    /// A query parameter on a page that takes none (every such parameter would otherwise be a new answer to build and keep).
    case unexpectedParameter(String)
    /// A query parameter a page that takes parameters does not know, with the ones it takes.
    case unknownParameter(name: String, valid: [String])
    /// A parameter the request must have and does not, with its valid values.
    case missingParameter(name: String, valid: [String])
    case badRequest(String)
    /// Something went wrong on the server's side (a 500); the request itself may be fine.
    case internalError(String)

    /// The HTTP status the error is answered with.
    public var status: Int {
        switch self {
        case .notFound: return 404
        case .badParameter, .unexpectedParameter, .unknownParameter, .missingParameter, .badRequest: return 400
        case .internalError: return 500
        }
    }

    /// A query parameter was wrong, unknown or missing (not the path or the server).
    public var isAboutParameters: Bool {
        switch self {
        case .badParameter, .unexpectedParameter, .unknownParameter, .missingParameter: return true
        default: return false
        }
    }
}
