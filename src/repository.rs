//! A repository as it is, to the terms and pages of one site: which files are
//! terms and which are pages ([`crate::discover`]), each term made from its
//! files ([`crate::merge`]), one name per organization
//! ([`crate::organizations`]), and relative links pointed at the pages their
//! files became ([`crate::relink`]). The model stage ([`crate::site`]) then
//! orders the terms and gives the ideas their slugs.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::model::Page;
use crate::parse::TermFile;
use crate::relink::LinkMap;

/// The terms and pages of the loaded files, with the diagnostics of the files
/// that are terms and of the merge. A page is not held to the term format: of
/// its diagnostics only errors are kept (its front matter is still read), and
/// `no-ideas` where the file was most likely meant as a term.
pub fn arrange(
    config: &Config,
    sources: &[SourceFile],
    parsed: Vec<(TermFile, Vec<Diagnostic>)>,
    today: &str,
) -> (Vec<TermFile>, Vec<Page>, Vec<Diagnostic>) {
    let (mut files, file_diags): (Vec<TermFile>, Vec<Vec<Diagnostic>>) = parsed.into_iter().unzip();
    let plan = crate::discover::plan(config, sources, &files);
    let mut diagnostics: Vec<Diagnostic> = plan
        .terms
        .iter()
        .flat_map(|t| t.parts.iter().map(|p| p.index))
        .flat_map(|i| file_diags[i].iter().cloned())
        .collect();
    diagnostics.extend(plan.pages.iter().flat_map(|&i| {
        let meant = meant_as_term(config, &sources[i].rel);
        file_diags[i]
            .iter()
            .filter(move |d| d.is_error() || (meant && d.code == "no-ideas"))
            .cloned()
    }));
    {
        let mut ideas: Vec<&mut crate::model::Idea> =
            files.iter_mut().flat_map(|f| f.ideas.iter_mut()).collect();
        diagnostics.extend(crate::organizations::unify(
            &mut ideas,
            &config.organizations,
        ));
    }
    let made: Vec<(TermFile, Vec<Diagnostic>)> = plan
        .terms
        .par_iter()
        .map(|t| crate::merge::term(config, t, sources, &files, today))
        .collect();
    let mut terms = Vec::with_capacity(made.len());
    for (term, mut diags) in made {
        terms.push(term);
        diagnostics.append(&mut diags);
    }
    let mut pages: Vec<Page> = plan
        .pages
        .iter()
        .map(|&i| crate::discover::page(config, &sources[i]))
        .collect();
    let base = config.base_path();
    let mut map = HashMap::new();
    for (plan, term) in plan.terms.iter().zip(&terms) {
        for part in &plan.parts {
            map.insert(
                sources[part.index].rel.clone(),
                format!("{base}terms/{}/", term.term.id),
            );
        }
    }
    for page in &pages {
        map.insert(page.source.file.clone(), format!("{base}{}", page.url));
    }
    let links = LinkMap {
        pages: map,
        repo_blob: config
            .repo_url
            .as_deref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(|u| format!("{}/blob/{}/", u.trim_end_matches('/'), config.repo_branch)),
        content_dir: config
            .content_dir
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/"),
    };
    for page in &mut pages {
        page.markdown = links.rewrite(&page.markdown, &page.source.file);
    }
    for term in &mut terms {
        let own = term.term.source.file.clone();
        for note in &mut term.term.notes {
            let file = note.file.clone().unwrap_or_else(|| own.clone());
            note.markdown = links.rewrite(&note.markdown, &file);
        }
    }
    (terms, pages, diagnostics)
}

/// Whether a file that became a page was most likely meant as a list of ideas:
/// its path names a period (`gsoc/2024.md`, `2023/02-Jun-Aug/README.md`), or it
/// lies directly in the content directory and is not a README (the flat layout,
/// one term file each). Such a page keeps its `no-ideas` warning, so that a list
/// in a shape Trellis cannot read never turns into a page in silence; a guide in
/// its own folder is held to no format.
fn meant_as_term(config: &Config, rel: &str) -> bool {
    let top_level = !rel.contains('/');
    let readme = rel
        .rsplit('/')
        .next()
        .is_some_and(|name| name.eq_ignore_ascii_case("README.md"));
    crate::programs::facts(rel, &config.programs)
        .term_key
        .is_some()
        || (top_level && !readme)
}
