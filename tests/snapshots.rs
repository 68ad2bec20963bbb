//! Golden snapshots of the parsed model: the seed and corpus files from several
//! years, so any change in what the parser makes of real files shows up in review.

#[path = "support/skip.rs"]
mod skip;
use std::path::PathBuf;

use trellis::load::load_file;
use trellis::parse::{parse_term_file, ParseContext};

fn snapshot_of(path: PathBuf) -> serde_json::Value {
    let source = load_file(path.parent().unwrap(), &path).unwrap();
    let (file, diags) = parse_term_file(&source, &ParseContext::default());
    serde_json::json!({ "term": file.term, "ideas": file.ideas, "diagnostics": diags })
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TRELLIS_CORPUS").map(PathBuf::from);
    if dir.is_none() {
        skip::say(
            "skipped: TRELLIS_CORPUS is unset; snapshot tests of real term files did not run",
        );
    }
    dir
}

macro_rules! snapshot_test {
    ($name:ident, $file:expr) => {
        #[test]
        fn $name() {
            let Some(dir) = corpus() else { return };
            insta::assert_yaml_snapshot!(snapshot_of(dir.join($file)));
        }
    };
}

snapshot_test!(seed_term_file, "../seed/000_5ed5198fa887e642.txt");
snapshot_test!(gsoc_2017, "gsoc-2017.md");
snapshot_test!(lfx_2021_term1_link_titles, "lfx-2021-term1.md");
snapshot_test!(lfx_2023_term1, "lfx-2023-term1.md");
snapshot_test!(lfx_2026_term1_sub_bullet_mentors, "lfx-2026-term1.md");
