//! Scaffolding: the files `trellis init` writes, and the idea skeleton that
//! `trellis new idea` inserts. Pure functions over text; the commands do the I/O.

mod idea;

pub use idea::insert_idea;

/// The workflow that publishes a site made of term files alone.
pub const PAGES_WORKFLOW: &str = ".github/workflows/pages.yml";

/// What `trellis init --issue-forms` adds: a proposal issue form, and a
/// workflow that checks each proposal issue and publishes the site from them.
pub fn issue_form_files() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            ".github/ISSUE_TEMPLATE/proposal.yml",
            crate::issue_forms::PROPOSAL_FORM,
        ),
        (
            ".github/workflows/proposals.yml",
            include_str!("init/proposals.yml"),
        ),
    ]
}

/// Where a new site's pieces go, relative to its root, and what they hold.
pub fn init_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("trellis.toml", include_str!("init/trellis.toml")),
        (
            "content/example-term.md",
            include_str!("init/example-term.md"),
        ),
        (PAGES_WORKFLOW, include_str!("init/pages.yml")),
        (
            ".github/workflows/check.yml",
            include_str!("init/check.yml"),
        ),
        (".gitignore", "/public\n"),
    ]
}
