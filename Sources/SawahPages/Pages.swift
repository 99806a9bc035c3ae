/// The pages people look at rather than read: assembled once from the HTML, CSS and
/// JavaScript beside this file, which the package embeds in the binary (no files to install,
/// no resource bundle to find at run time).
public enum Pages {
    /// `verify.html`: a buyer's offline verifier for exported certificate bundles. It may
    /// connect nowhere: everything it checks is in the files the user gives it.
    public static let verifier = Page(
        template: PackageResources.verify_html, style: PackageResources.pages_css,
        scripts: [
            PackageResources.page_dom_js, PackageResources.verifier_crypto_js, PackageResources.verifier_eventhash_js, PackageResources.svg_plot_js,
            PackageResources.verifier_chain_js, PackageResources.verifier_page_js
        ],
        connectSources: "'none'")

    /// The gateway's status page (`sawah web`): it polls its own origin's API and nothing else.
    public static let status = Page(
        template: PackageResources.status_html, style: PackageResources.pages_css,
        scripts: [PackageResources.page_dom_js, PackageResources.svg_plot_js, PackageResources.status_page_js],
        connectSources: "'self'")
}
