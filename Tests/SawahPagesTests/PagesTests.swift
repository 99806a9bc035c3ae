import Crypto
import Foundation
import Testing

@testable import SawahPages

/// The pages are whole documents: every marker filled, the policy naming the exact script and
/// style they carry, and nothing that would make a browser fetch anything from elsewhere.
@Suite struct PagesTests {
    static let pages: [(String, Page)] = [("verify.html", Pages.verifier), ("status page", Pages.status)]

    @Test(arguments: [0, 1])
    func thePolicyAllowsExactlyTheInlineScriptAndStyle(index: Int) throws {
        let (name, page) = Self.pages[index]
        let html = String(decoding: page.html, as: UTF8.self)
        for marker in ["/*CSP*/", "/*STYLE*/", "/*SCRIPT*/"] { #expect(!html.contains(marker), "\(name) still holds \(marker)") }
        let script = try #require(Self.between(html, "<script>", "</script>"), "\(name) has one inline script")
        let style = try #require(Self.between(html, "<style>", "</style>"))
        #expect(page.contentSecurityPolicy.contains("script-src '\(Page.hash(script))'"), "\(name): \(page.contentSecurityPolicy)")
        #expect(page.contentSecurityPolicy.contains("style-src '\(Page.hash(style))'"))
        #expect(page.contentSecurityPolicy.hasPrefix("default-src 'none'"))
        #expect(html.contains("content=\"\(page.contentSecurityPolicy.replacingOccurrences(of: "; frame-ancestors 'none'", with: ""))\""))
        // One script element only: a second would be blocked by the hash and fail silently.
        #expect(html.components(separatedBy: "<script").count == 2, "\(name) has exactly one script element")
    }

    @Test func theVerifierMayConnectNowhereAndTheStatusPageOnlyHome() {
        #expect(Pages.verifier.contentSecurityPolicy.contains("connect-src 'none'"))
        #expect(Pages.status.contentSecurityPolicy.contains("connect-src 'self'"))
    }

    @Test(arguments: [0, 1])
    func nothingIsLoadedFromAnotherOrigin(index: Int) {
        let (name, page) = Self.pages[index]
        let html = String(decoding: page.html, as: UTF8.self)
        for pattern in [#"src\s*=\s*"(?!data:)"#, #"href\s*=\s*"http"#, #"@import"#, #"url\("#] {
            #expect(html.range(of: pattern, options: .regularExpression) == nil, "\(name) loads something: \(pattern)")
        }
    }

    @Test func aChangedScriptChangesThePolicy() {
        let base = Page(
            template: Array("<style>/*STYLE*/</style><script>/*SCRIPT*/</script>".utf8), style: [], scripts: [Array("a()".utf8)], connectSources: "'none'")
        let changed = Page(
            template: Array("<style>/*STYLE*/</style><script>/*SCRIPT*/</script>".utf8), style: [], scripts: [Array("b()".utf8)], connectSources: "'none'")
        #expect(base.contentSecurityPolicy != changed.contentSecurityPolicy)
        #expect(base.contentSecurityPolicy.contains("'sha256-" + Data(SHA256.hash(data: Array("a()".utf8))).base64EncodedString() + "'"))
    }

    static func between(_ text: String, _ open: String, _ close: String) -> String? {
        guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
