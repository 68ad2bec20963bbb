//! `trellis build`: the site into the output directory, swapped in only on success,
//! with progress while it runs and one summary line at the end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use trellis::build::{self, BuildStats};
use trellis::diagnostic::Format;

use super::{Output, EXIT_CONTENT, EXIT_USAGE};

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Where to write the site (default: output_dir of trellis.toml, else public/).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Override base_url of trellis.toml (e.g. for a preview deploy).
    #[arg(long)]
    pub base_url: Option<String>,
    /// The ideas.json of the last published site (a file; fetch a URL with curl
    /// first): each idea whose address changed gets a redirect page at the old one.
    #[arg(long, value_name = "IDEAS_JSON")]
    pub previous: Option<String>,
}

pub fn run(root: &Path, args: &BuildArgs, out: &Output) -> ExitCode {
    let started = Instant::now();
    let mut config = match build::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            out.diagnostics(&[d], Format::Human, &|f| {
                std::fs::read_to_string(root.join(f)).ok()
            });
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(base_url) = &args.base_url {
        config.base_url = base_url.clone();
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| root.join(&config.output_dir));
    // An output Trellis refuses to write is a mistake on the command line or in
    // trellis.toml, not in the content: said before any work, with exit code 2.
    if let Err(e) =
        trellis::output::check_output_dir(root, &root.join(&config.content_dir), &output)
    {
        eprintln!("error: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    let published = match super::read_previous(args.previous.as_deref()) {
        Ok(published) => published,
        Err(code) => return code,
    };
    let progress = out.progress("Reading term files");
    let mut loaded = build::load_site(root, config, &[]);
    if let Some(published) = &published {
        let moves = trellis::build::redirects::moves(published, &loaded.site);
        progress.suspend(|| super::report_moves(&moves, out));
        loaded.redirects = moves.moved;
    }
    progress.suspend(|| {
        // Counted in one pass: a count per term by scanning every idea would
        // take a 100,000-idea site of 1,000 terms a second.
        let mut ideas_of_term: HashMap<&str, usize> = HashMap::new();
        for idea in &loaded.site.ideas {
            *ideas_of_term.entry(idea.term.as_str()).or_default() += 1;
        }
        for term in &loaded.site.terms {
            let ideas = ideas_of_term.get(term.id.as_str()).copied().unwrap_or(0);
            out.detail(&format!(
                "  {}: {ideas} ideas ({})",
                term.id, term.source.file
            ));
        }
        out.diagnostics(&loaded.diagnostics, Format::Human, &|f| {
            loaded.source_text(f)
        });
    });
    if loaded.has_errors() {
        drop(progress);
        eprintln!("error: the site was not built; the previous output is untouched");
        return ExitCode::from(EXIT_CONTENT);
    }
    progress.counting_files("Writing the site");
    let written = trellis::build::write_site_with_progress(root, &loaded, &output, &|count| {
        progress.files_written(count)
    });
    drop(progress);
    match written {
        Ok(stats) => {
            let warnings = loaded.diagnostics.iter().filter(|d| d.is_warning()).count();
            out.info(&summary(
                loaded.site.ideas.len(),
                &stats,
                warnings,
                started.elapsed().as_secs_f64(),
                &output,
            ));
            // The process ends here: freeing the model of a 100,000-idea site
            // piece by piece would only add a fifth of a second to the build.
            std::mem::forget(loaded);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: {}\nThe previous output is untouched.",
                trellis::diagnostic::terminal_safe(&e.to_string())
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

/// The line a successful build ends with, counted so that a glance tells whether
/// the site came out the size it should:
/// `Built 312 ideas, 1,204 pages, search index 96 KB in 0.41 s → public/`.
fn summary(
    ideas: usize,
    stats: &BuildStats,
    warnings: usize,
    seconds: f64,
    output: &Path,
) -> String {
    let warnings = match warnings {
        0 => String::new(),
        n => format!(" with {}", counted(n, "warning")),
    };
    format!(
        "Built {}, {}, search index {} in {seconds:.2} s{warnings} → {}",
        counted(ideas, "idea"),
        counted(stats.pages, "page"),
        size(stats.search_index_bytes),
        directory(output),
    )
}

/// `1 idea`, `1,204 ideas`.
fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} {noun}{plural}", thousands(n as u64))
}

/// `1204` as `1,204`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A size in decimal units (1 KB = 1,000 bytes), rounded to what a reader compares.
fn size(bytes: u64) -> String {
    if bytes < 1_000 {
        format!("{bytes} B")
    } else if bytes < 999_500 {
        format!("{} KB", (bytes as f64 / 1e3).round())
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// The output directory as the user would type it: `public/`, not `./public`.
fn directory(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path).display().to_string();
    if shown.ends_with('/') {
        shown
    } else {
        format!("{shown}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_204), "1,204");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn sizes_use_the_unit_that_keeps_them_short() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(96_400), "96 KB");
        assert_eq!(size(999_499), "999 KB");
        assert_eq!(size(999_500), "1.0 MB");
        assert_eq!(size(3_370_622), "3.4 MB");
    }

    #[test]
    fn output_directory_is_shown_as_typed_with_a_slash() {
        assert_eq!(directory(Path::new("./public")), "public/");
        assert_eq!(directory(Path::new("/dev/shm/p")), "/dev/shm/p/");
        assert_eq!(directory(Path::new("site/")), "site/");
    }

    #[test]
    fn summary_counts_warnings_only_when_there_are_some() {
        let stats = BuildStats {
            pages: 1_204,
            search_index_bytes: 96_000,
        };
        assert_eq!(
            summary(312, &stats, 0, 0.414, Path::new("./public")),
            "Built 312 ideas, 1,204 pages, search index 96 KB in 0.41 s → public/"
        );
        assert_eq!(
            summary(312, &stats, 3, 0.414, Path::new("./public")),
            "Built 312 ideas, 1,204 pages, search index 96 KB in 0.41 s with 3 warnings → public/"
        );
        let one = BuildStats { pages: 1, ..stats };
        assert_eq!(
            summary(1, &one, 1, 1.0, Path::new("p")),
            "Built 1 idea, 1 page, search index 96 KB in 1.00 s with 1 warning → p/"
        );
    }
}
