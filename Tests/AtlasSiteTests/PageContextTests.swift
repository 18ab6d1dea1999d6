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
                                              valid: .init(lead: "Valid values for <x>", values: ["v1", "v2"])))
        for expected in ["<h1>Bad parameter</h1>", "<p>The parameter &#39;x&#39; cannot be &#39;&lt;y&gt;&#39;.</p>",
                         "Valid values for &lt;x&gt;: <code>v1</code> <code>v2</code>", "<a href=\"/M\">the model catalog</a>",
                         "<a href=\"/F\">the figures</a>", "<a href=\"/R/home\">the home page</a>"] {
            #expect(bad.contains(expected), "missing: \(expected)")
        }
        let missing = t.render("error", ErrorPage(layout: Self.layout(), heading: "Not found", message: "There is no page at /x.", valid: nil))
        #expect(!missing.contains("Valid values"))
    }

    static let figure = FigureContext(href: "/fig-href", png: "/fig.png", png2x: "/fig@2x.png", csv: "/fig.csv", alt: "ALT", caption: "CAPTION")

    @Test func theHomePageUsesEveryField() throws {
        let t = try #require(Self.templates)
        let html = t.render("home", HomePage(layout: Self.layout(), bases: 11, datasetCount: 10, studyColumns: 30, columns: 33, tuned: 1016, baseRows: 7,
                                             figureCount: 77, keyFigures: [Self.figure]))
        for expected in ["11 base models fine-tuned on 10 instruction datasets", "scored on 30 benchmark columns", "<strong>1016</strong> fine-tuned",
                         "<strong>7</strong> base models", "<strong>33</strong> score columns", "<strong>77</strong> figures", "<img src=\"/fig.png\" alt=\"ALT\"",
                         "<a href=\"/M\">Browse all models</a>", "<a href=\"/C\">Check the paper", "<a href=\"/D\">Download</a>"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
    }

    @Test func theComparePageUsesEveryField() throws {
        let t = try #require(Self.templates)
        var page = ComparePage(layout: Self.layout(), heading: "Compare 2 models", action: "/ACTION", catalogJSON: "/cat.json", catalogJS: "/cat.js",
                               example: "EX1,EX2", ids: "a,b", table: "<table>CMP</table>", chart: Self.figure)
        var html = t.render("compare", page)
        for expected in ["<h1 id=\"compare-heading\">Compare 2 models</h1>", "action=\"/ACTION\"", "value=\"a,b\" placeholder=\"EX1,EX2\"",
                         "<table>CMP</table>", "<img src=\"/fig.png\" srcset=\"/fig@2x.png 2x\" alt=\"ALT\">"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
        // Served: the script completes ids in the chooser but leaves the comparison to the server.
        #expect(html.contains("list=\"compare-suggestions\"") && html.contains("data-catalog=\"/cat.json\"") && !html.contains("data-written"))
        // The chooser alone, as a written site has it: no table, no chart, the browser's app instead.
        page.layout.written = true
        (page.ids, page.table, page.chart) = (nil, nil, nil)
        html = t.render("compare", page)
        #expect(html.contains("value=\"\" placeholder=\"EX1,EX2\"") && !html.contains("<figure>"))
        #expect(html.contains("data-catalog=\"/cat.json\" data-catalog-script=\"/cat.js\" data-written") && html.contains("<script src=\"/R/public/atlas.js\">"))
    }

    @Test func theModelPageUsesEveryField() throws {
        let t = try #require(Self.templates)
        var page = ModelPage(layout: Self.layout(), name: "NAME", id: "ID", json: "/id.json", isBase: true, repository: "org/repo",
                             config: "<table>CONFIG</table>", scores: "<table>SCORES</table>", neighbours: "<table>NEAR</table>",
                             trajectory: Self.figure, compare: "/compare-href")
        var html = t.render("model", page)
        #expect(!html.contains("The audit flags this run"))
        page.findings = [.init(anchor: "finding-1", kind: "Dup", detail: "a <duplicate>", href: "/Q#duplicate"),
                         .init(anchor: "finding-2", kind: "Col", detail: "a collapse", href: "/Q#collapsed")]
        page.qualityHref = "/Q"
        html = t.render("model", page)
        #expect(html.contains("(<a href=\"/Q\">data quality</a>):<ul><li id=\"finding-1\"><a href=\"/Q#duplicate\">Dup</a>: a &lt;duplicate&gt;</li>"
                              + "<li id=\"finding-2\"><a href=\"/Q#collapsed\">Col</a>: a collapse</li></ul>"))
        (page.findings, page.qualityHref) = ([], "")
        html = t.render("model", page)
        for expected in ["<h1>NAME</h1>", "<code>ID</code>", "<a href=\"/id.json\">JSON</a>", "<a href=\"/compare-href\">compare with its neighbours</a>",
                         "<table>CONFIG</table>", "<a href=\"https://huggingface.co/org/repo\">org/repo</a> (the base model)", "<table>SCORES</table>",
                         "<h2>Neighbours</h2><table>NEAR</table>", "<h2>By epoch</h2>", "CAPTION <a href=\"/fig.csv\">CSV</a>"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
        (page.isBase, page.neighbours, page.trajectory, page.compare) = (false, nil, nil, nil)
        html = t.render("model", page)
        #expect(html.contains("llm-jp/massive-sft") && !html.contains("Neighbours") && !html.contains("By epoch") && !html.contains("compare with"))
    }

    @Test func theCatalogPageUsesEveryField() throws {
        let t = try #require(Self.templates)
        let form = CatalogForm(search: "qwen <b>", gain: true, facets: [("Method", [("method", "lora", "LoRA", 230, true)])],
                               ranges: [("mbpp-4shot", "MBPP", "50", "")], hidden: [("mmlu__isnull", "0")],
                               sortOptions: [("", "canonical order", true)], descending: true, columns: [("mbpp-4shot", "MBPP", false)])
        var page = CatalogPage(layout: Self.layout(), total: 230, allCount: 1027, form: form, action: "/ACTION",
                               table: "<table>ROWS</table>", page: 2, pages: 5, pageLinks: [], previous: "/PREV", next: "/NEXT", permalink: "/PERMA",
                               catalogJSON: "/cat.json", catalogJS: "/cat.js", compareHref: "/CMP", csv: "/view.csv", json: "/view.json", explore: "/EXPLORE")
        var html = t.render("catalog", page)
        for expected in ["230 of 1027 models match. <a href=\"/view.csv\">CSV</a> · <a href=\"/view.json\">JSON</a>", "<a href=\"/PERMA\">permalink</a>",
                         "name=\"method\" value=\"lora\" checked> LoRA <span class=\"count\">230</span>", "<option value=\"\" selected>canonical order</option>",
                         "<option value=\"desc\" selected>descending</option>", "name=\"col\" value=\"mbpp-4shot\"> MBPP</label>", "<table>ROWS</table>",
                         "<a href=\"/PREV\" rel=\"prev\">", "Page 2 of 5", "<a href=\"/NEXT\" rel=\"next\">", "action=\"/ACTION\"",
                         "name=\"q\" value=\"qwen &lt;b&gt;\"", "value=\"gain\" checked> Gain", "name=\"mbpp-4shot__gte\" value=\"50\"",
                         "aria-label=\"MBPP at least\"", "<input type=\"hidden\" name=\"mmlu__isnull\" value=\"0\">", "action=\"/CMP\"",
                         "<script src=\"/R/public/atlas.js\">", "<a href=\"/EXPLORE\">plot these models</a>"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
        // Written: no server paging, the browser script and its data instead.
        page.layout.written = true
        (page.previous, page.next) = (nil, nil)
        page.pageLinks = [(1, "/M/", false), (2, "/M/page/2/", true)]
        html = t.render("catalog", page)
        #expect(html.contains("Pages: <a href=\"/M/\">1</a> <a href=\"/M/page/2/\" aria-current=\"page\">2</a>") && !html.contains("Page 2 of 5"))
        #expect(html.contains("data-catalog=\"/cat.json\"") && html.contains("data-catalog-script=\"/cat.js\""))
    }

    @Test func theFiguresPageUsesEveryField() throws {
        let t = try #require(Self.templates)
        let thumb = FiguresPage.Thumbnail(href: "/F", png: "/F.png", png2x: "/F@2x.png", title: "Short <title>", alt: "Long caption")
        let page = FiguresPage(layout: Self.layout(), groups: [FiguresPage.Group(id: "fig-2", title: "Fig. 2: gains", intro: "INTRO", figures: [thumb, thumb])],
                               definitions: [("Term", InlineText.html("uses `a<b` here"))])
        let html = t.render("figures", page)
        for expected in ["<a href=\"#fig-2\">Fig. 2: gains</a> <span class=\"count\">2</span>", "id=\"fig-2\"", "<p>INTRO</p>",
                         "<img src=\"/F.png\" srcset=\"/F@2x.png 2x\" alt=\"Long caption\"", "<a href=\"/F\">Short &lt;title&gt;</a>",
                         "<dd>uses <code>a&lt;b</code> here</dd>"] {
            #expect(html.contains(expected), "missing: \(expected)")
        }
    }

    @Test func inlineCodeIsRenderedAndTheRestEscaped() {
        #expect(InlineText.html("`all`: the <ten> & `wo-x`") == "<code>all</code>: the &lt;ten&gt; &amp; <code>wo-x</code>")
        // An unpaired backtick stays as it is.
        #expect(InlineText.html("a `b") == "a `b")
    }
}
