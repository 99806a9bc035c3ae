import Crypto
import FoundationEssentials
import HTTPTypes

/// One self-contained HTML document: its markup, style and scripts inline, and a
/// Content-Security-Policy that lets the browser run only that script (by its SHA-256) and
/// apply only that style, and connect to `connectSources` alone. The policy is in the
/// document (it holds from `file://`) and is also sent as a header where the page is served.
public struct Page: Sendable {
    /// The document's bytes, UTF-8.
    public let html: [UInt8]
    public let contentSecurityPolicy: String

    /// Fills `/*STYLE*/`, `/*SCRIPT*/` and `/*CSP*/` in `template`.
    init(template: [UInt8], style: [UInt8], scripts: [[UInt8]], connectSources: String) {
        let script = scripts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        let css = String(decoding: style, as: UTF8.self)
        let policy = [
            "default-src 'none'", "script-src '\(Self.hash(script))'", "style-src '\(Self.hash(css))'", "img-src data:",
            "connect-src \(connectSources)", "base-uri 'none'", "form-action 'none'"
        ].joined(separator: "; ")
        contentSecurityPolicy = policy + "; frame-ancestors 'none'"
        var text = String(decoding: template, as: UTF8.self)
        // The policy in the document omits frame-ancestors, which browsers ignore in a meta tag.
        for (marker, value) in [("/*CSP*/", policy), ("/*STYLE*/", css), ("/*SCRIPT*/", script)] {
            text = text.replacingOccurrences(of: marker, with: value)
        }
        html = Array(text.utf8)
    }

    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString()
    }

    /// Response headers for serving the page: type, policy, and no caching of an old page.
    public var headers: HTTPFields {
        [
            .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
            .cacheControl: "no-cache"
        ]
    }
}
