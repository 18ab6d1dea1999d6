@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// Each typed page context against its template: every field reaches the page, escaped where it is text,
/// and an absent optional leaves its section out rather than reading an outer value of the same name.
@Suite struct PageContextTests {
    static let templates = try? TemplateSet(folder: Fixture.repository + "/Templates")

    static func layout(alternates: [LayoutContext.Alternate] = []) -> LayoutContext {
        LayoutContext(root: "/R/", home: "/R/home", asset: "/R/public/", synthetic: true, version: "V9", written: false,
                      nav: [.init(label: "NavA", href: "/nav-a"), .init(label: "Nav<B>", href: "/nav-b")],
                      modelsHref: "/M", figuresHref: "/F", claimsHref: "/C", downloadsHref: "/D", dataNote: "NOTE & more",
                      alternates: alternates)
    }

    @Test func theGenericPageUsesEveryField() throws {
        let t = try #require(Self.templates)
        let page = GenericPage(layout: Self.layout(alternates: [.init(type: "text/csv", href: "/twin.csv")]), heading: "Head<1>", intro: "INTRO",
                               links: [.init(label: "LinkA", href: "/link-a")],
                               figures: [FigureContext(href: "/fig-href", png: "/fig.png", png2x: "/fig@2x.png", csv: nil, alt: "ALT", caption: "CAPTION")],
                               tables: [RenderedTable(html: "<table>T1</table>", title: "TableTitle"), RenderedTable(html: "<table>T2</table>", title: nil)],
                               definitions: [.init(term: "TERM", text: "TEXT")])
        let html = t.render("page", page)
        for expected in ["<title>Head&lt;1&gt; · SFT Atlas</title>", "<h1>Head&lt;1&gt;</h1>", "<p>INTRO</p>", "<a href=\"/link-a\">LinkA</a>",
                         "<img src=\"/fig.png\" srcset=\"/fig@2x.png 2x\" alt=\"ALT\"", "<a href=\"/fig-href\">", "<figcaption>CAPTION</figcaption>",
                         "<h2>TableTitle</h2><table>T1</table>", "<table>T2</table>", "<dt>TERM</dt><dd>TEXT</dd>",
                         "href=\"/R/public/style.css\"", "<link rel=\"alternate\" type=\"text/csv\" href=\"/twin.csv\">", "<a class=\"brand\" href=\"/R/home\">",
                         "<a href=\"/nav-b\">Nav&lt;B&gt;</a>", "Synthetic demo data", "(NOTE &amp; more)", "SFT Atlas V9"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
        // The second table has no title: no <h2> is taken from anywhere else.
        #expect(html.components(separatedBy: "<h2>").count == 3) // TableTitle and Definitions
    }

    @Test func absentOptionalsLeaveTheirSectionsOut() throws {
        let t = try #require(Self.templates)
        var layout = Self.layout()
        layout.synthetic = false
        let html = t.render("page", GenericPage(layout: layout, heading: "H", intro: nil, links: [], figures: [], tables: [], definitions: []))
        for absent in ["<p>INTRO", "<figure>", "<dl>", "Definitions", "Synthetic demo data", "rel=\"alternate\""] {
            #expect(!html.contains(absent), "present: \(absent)")
        }
    }

    @Test func theErrorPageUsesEveryField() throws {
        let t = try #require(Self.templates)
        let bad = t.render("error", ErrorPage(layout: Self.layout(), heading: "Bad parameter", message: "The parameter 'x' cannot be '<y>'.",
                                              valid: .init(parameter: "x", values: ["v1", "v2"])))
        for expected in ["<h1>Bad parameter</h1>", "<p>The parameter &#39;x&#39; cannot be &#39;&lt;y&gt;&#39;.</p>",
                         "Valid values for <code>x</code>: <code>v1</code> <code>v2</code>", "<a href=\"/M\">the model catalog</a>",
                         "<a href=\"/F\">the figures</a>", "<a href=\"/R/home\">the home page</a>"] {
            #expect(bad.contains(expected), "missing: \(expected)")
        }
        let missing = t.render("error", ErrorPage(layout: Self.layout(), heading: "Not found", message: "There is no page at /x.", valid: nil))
        #expect(!missing.contains("Valid values"))
    }
}
