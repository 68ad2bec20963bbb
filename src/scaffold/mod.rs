//! Scaffolding: the files `trellis init` writes, and the idea skeleton that
//! `trellis new idea` inserts. Pure functions over text; the commands do the I/O.

mod idea;

pub use idea::insert_idea;

/// The version of Trellis that writes a new site: its workflows download the
/// release binary of exactly this version, so a site builds the same way until
/// its maintainers choose to move on.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where Trellis is published (`repository` in Cargo.toml, the one place it is
/// written): its releases are at `<REPOSITORY>/releases/download/v<VERSION>/`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The workflow that publishes a site made of term files alone.
pub const PAGES_WORKFLOW: &str = ".github/workflows/pages.yml";

/// What `trellis init --issue-forms` adds: a proposal issue form, and a
/// workflow that checks each proposal issue and publishes the site from them.
pub fn issue_form_files() -> Vec<(&'static str, String)> {
    vec![
        (
            ".github/ISSUE_TEMPLATE/proposal.yml",
            crate::issue_forms::PROPOSAL_FORM.to_string(),
        ),
        (
            ".github/workflows/proposals.yml",
            fill(include_str!("init/proposals.yml")),
        ),
    ]
}

/// Where a new site's pieces go, relative to its root, and what they hold.
pub fn init_files() -> Vec<(&'static str, String)> {
    [
        ("trellis.toml", include_str!("init/trellis.toml")),
        (
            "content/example-term.md",
            include_str!("init/example-term.md"),
        ),
        ("README.md", include_str!("init/README.md")),
        (PAGES_WORKFLOW, include_str!("init/pages.yml")),
        (
            ".github/workflows/check.yml",
            include_str!("init/check.yml"),
        ),
        (".gitignore", "/public\n"),
    ]
    .into_iter()
    .map(|(path, text)| (path, fill(text)))
    .collect()
}

/// The step every workflow starts with after its checkout: download the
/// release binary of [`VERSION`] and verify its checksum. One text, so that
/// every workflow installs Trellis the same way.
const INSTALL_TRELLIS: &str = include_str!("init/install-trellis.yml");

/// The templates hold `@INSTALL_TRELLIS@` on a line of its own for
/// [`INSTALL_TRELLIS`], and name the version and the repository as `@VERSION@`
/// and `@REPOSITORY@`: markers that cannot be mistaken for the workflows' own
/// `${{ … }}` expressions.
fn fill(template: &str) -> String {
    template
        .replace("@INSTALL_TRELLIS@\n", INSTALL_TRELLIS)
        .replace("@VERSION@", VERSION)
        .replace("@REPOSITORY@", REPOSITORY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_is_filled() {
        for (path, text) in init_files().into_iter().chain(issue_form_files()) {
            for marker in ["@VERSION@", "@REPOSITORY@", "@INSTALL_TRELLIS@"] {
                assert!(!text.contains(marker), "{path}: {marker}");
            }
        }
        let pages = &init_files()
            .into_iter()
            .find(|(p, _)| p.ends_with("pages.yml"))
            .unwrap()
            .1;
        assert!(pages.contains("      - name: Install Trellis\n        env:\n"));
        assert!(pages.contains(&format!("TRELLIS_VERSION: \"{VERSION}\"")));
        assert!(pages.contains(&format!("vars.TRELLIS_REPO || '{REPOSITORY}'")));
    }
}
