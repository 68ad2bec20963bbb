//! Trellis: a static site generator for mentorship project-ideas portals.
//!
//! The modules, lowest layer first (ARCHITECTURE.md has the rules, and
//! `tests/layering.rs` checks that no module uses a later one):
//! [`util`] (jobs every stage shares) and [`diagnostic`], [`model`] and [`slug`];
//! then the stages [`load`] (files) → [`parse`] (term files → ideas +
//! diagnostics) and [`issue_forms`] (GitHub issue exports → ideas + diagnostics),
//! with [`config`] (`trellis.toml`) → [`repository`] (a
//! repository's files to terms and pages: [`discover`], [`programs`], [`merge`],
//! [`timeline`], [`organizations`], [`relink`]) → [`site`] (the [`model::Site`])
//! → [`search`] and [`export`] (each idea's part) → [`prepare`] (what is made from
//! one idea alone) → [`render`] (the pages) → [`output`] (the directories written
//! into) → [`build`], which runs them all for `trellis build` and the dev server
//! ([`serve`]). [`scaffold`] stands apart: what `trellis init` and `trellis new` write.

pub mod util;

pub mod diagnostic;
pub mod model;
pub mod slug;

pub mod load;
pub mod parse;

pub mod issue_forms;

pub mod config;

pub mod organizations;
pub mod programs;
pub mod relink;
pub mod timeline;

pub mod discover;
pub mod merge;
pub mod repository;

pub mod site;

pub mod changes;
pub mod export;
pub mod search;

pub mod prepare;
pub mod render;

pub mod output;

pub mod build;
pub mod serve;

pub mod scaffold;
