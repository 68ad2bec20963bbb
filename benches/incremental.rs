//! `cargo bench --bench incremental`: how long the dev server's rebuild takes
//! after one term file of a 1,000-idea site is saved, beside a full build of
//! the same site. Generates the site with `gen-corpus` (`$GEN_CORPUS`, else
//! `/work/shared/bench/gen-corpus`), builds it once, then appends a line to one
//! term file `$EDITS` times (default 30) and times each rebuild in process: the
//! load and parse of what changed, the render of the pages it touches and the
//! write of the files whose bytes changed. Prints the median, not a verdict;
//! `BENCHMARKS.md` holds the figures.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use trellis::build;
use trellis::build::incremental::LiveSite;

/// As the `trellis` binary does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const IDEAS: usize = 1000;

fn main() {
    let gen = std::env::var_os("GEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/bench/gen-corpus"));
    if !gen.exists() {
        eprintln!(
            "incremental bench skipped: {} is missing (set GEN_CORPUS)",
            gen.display()
        );
        return;
    }
    let edits: usize = std::env::var("EDITS")
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(30);
    // In memory when the machine has it, as `trellis serve` builds.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temp dir");
    let root = tmp.path().join("site");
    let status = Command::new(&gen)
        .args(["--ideas", &IDEAS.to_string(), "--format", "cncf", "--out"])
        .arg(root.join("content"))
        .output()
        .expect("gen-corpus runs");
    assert!(status.status.success(), "gen-corpus failed");
    std::fs::write(
        root.join("trellis.toml"),
        "title = \"Bench\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("write trellis.toml");

    let full = full_build_ms(&root, &tmp.path().join("public"));
    let mut live = LiveSite::create(&tmp.path().join("live")).expect("a live directory");
    rebuild(&mut live, &root);
    let file = first_term_file(&root.join("content"));
    let original = std::fs::read_to_string(&file).expect("read a term file");
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        std::fs::write(&file, format!("{original}\nEdit number {i}.\n")).expect("edit");
        let started = Instant::now();
        rebuild(&mut live, &root);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{IDEAS} ideas: incremental rebuild after one edit: median {:.1} ms (min {:.1}, max {:.1}) over {edits} edits; full build {full:.0} ms",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
    );
}

fn rebuild(live: &mut LiveSite, root: &Path) {
    let config = build::load_config(root).expect("the generated config loads");
    let loaded = live.load(root, config);
    live.write(root, &loaded).expect("the site builds");
}

fn full_build_ms(root: &Path, out: &Path) -> f64 {
    let started = Instant::now();
    let config = build::load_config(root).expect("the generated config loads");
    let loaded = build::load_site(root, config, &[]);
    trellis::build::write_site(root, &loaded, out).expect("the site builds");
    started.elapsed().as_secs_f64() * 1000.0
}

fn first_term_file(content: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(content)
        .expect("the content directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files.into_iter().next().expect("a term file")
}
