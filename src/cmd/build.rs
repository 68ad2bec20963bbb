//! `trellis build`: the site into the output directory, swapped in only on success.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use trellis::diagnostic::Format;
use trellis::pipeline;

use super::{Output, EXIT_CONTENT, EXIT_USAGE};

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Where to write the site (default: output_dir of trellis.toml, else public/).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Override base_url of trellis.toml (e.g. for a preview deploy).
    #[arg(long)]
    pub base_url: Option<String>,
}

pub fn run(root: &Path, args: &BuildArgs, out: &Output) -> ExitCode {
    let started = Instant::now();
    let mut config = match pipeline::load_config(root) {
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
    let loaded = pipeline::load_site(root, config, &[]);
    for term in &loaded.site.terms {
        let ideas = loaded
            .site
            .ideas
            .iter()
            .filter(|i| i.term == term.id)
            .count();
        out.detail(&format!(
            "  {}: {ideas} ideas ({})",
            term.id, term.source.file
        ));
    }
    out.diagnostics(&loaded.diagnostics, Format::Human, &|f| {
        loaded.source_text(f)
    });
    if loaded.has_errors() {
        eprintln!("error: the site was not built; the previous output is untouched");
        return ExitCode::from(EXIT_CONTENT);
    }
    match trellis::write_site(root, &loaded, &output) {
        Ok(stats) => {
            out.info(&format!(
                "Built {} ideas in {} terms, {} files, in {:.2} s → {}",
                loaded.site.ideas.len(),
                loaded.site.terms.len(),
                stats.files,
                started.elapsed().as_secs_f64(),
                output.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\nThe previous output is untouched.");
            ExitCode::from(EXIT_CONTENT)
        }
    }
}
