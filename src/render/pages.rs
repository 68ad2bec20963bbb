//! The pages of a site and the small context each one is rendered with. A page
//! gets only what its template shows (cards and links, not the whole site), which
//! keeps Tera's per-page serialization cheap.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::cards::CardStyle;
use super::context::{Link, Prints, Shared, TermView};
use super::stats::{bar_chart, grid_chart, Bar, Grid};
use super::taxonomy::{self, Entry};
use super::term_notes;
use super::Error;
use crate::util::fingerprint::Fingerprint;
use crate::util::plain::summary;

/// Ideas listed on one page of an organization, skill, mentor or term: enough
/// to browse, few enough that a page stays far below 100 KB on a phone however
/// many ideas the site holds.
pub const IDEAS_PER_PAGE: usize = 30;

/// How many pages list `ideas` ideas: one at least, so an empty list has its page.
pub fn page_count(ideas: usize) -> usize {
    ideas.div_ceil(IDEAS_PER_PAGE).max(1)
}

/// The ideas page `page` (from 0) of a paginated list shows.
pub fn page_slice(ideas: &[usize], page: usize) -> &[usize] {
    let start = (page * IDEAS_PER_PAGE).min(ideas.len());
    &ideas[start..(start + IDEAS_PER_PAGE).min(ideas.len())]
}

/// Every HTML page kind, with the index of what it shows and, for paginated
/// lists, the page number from 0 (page 0 is `skills/go/`, page 1 `skills/go/page/2/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Idea(usize),
    Organizations,
    Organization(usize, usize),
    Skills,
    Skill(usize, usize),
    Mentors,
    Mentor(usize, usize),
    Terms,
    Term(usize, usize),
    Stats,
    Search,
    NotFound,
    /// A program's page: its terms and guides, by index in [`programs`].
    Program(usize),
    /// A markdown file that is no term, by index in `Site::pages`.
    Guide(usize),
}

/// All pages of the site; `search/` only when the theme has a search template.
pub fn all_pages(shared: &Shared) -> Vec<Page> {
    let tax = &shared.taxonomy;
    let mut pages = vec![
        Page::Home,
        Page::Organizations,
        Page::Skills,
        Page::Mentors,
        Page::Terms,
        Page::Stats,
        Page::NotFound,
    ];
    if shared.view.has_search {
        pages.push(Page::Search);
    }
    pages.extend((0..shared.site.ideas.len()).map(Page::Idea));
    pages.extend(paginated(&tax.organizations.entries, Page::Organization));
    pages.extend(paginated(&tax.skills.entries, Page::Skill));
    pages.extend(paginated(&tax.mentors.entries, Page::Mentor));
    for (i, term) in shared.site.terms.iter().enumerate() {
        let count = page_count(shared.ideas_of_term(&term.id).len());
        pages.extend((0..count).map(|n| Page::Term(i, n)));
    }
    pages.extend((0..programs(shared).len()).map(Page::Program));
    pages.extend((0..shared.site.pages.len()).map(Page::Guide));
    pages
}

/// The pages of every entry of an index, each entry's pages in order.
fn paginated(entries: &[Entry], page: fn(usize, usize) -> Page) -> impl Iterator<Item = Page> + '_ {
    entries
        .iter()
        .enumerate()
        .flat_map(move |(i, e)| (0..page_count(e.ideas.len())).map(move |n| page(i, n)))
}

/// The URL of page `n` (from 0) of a paginated list whose first page is at `first`.
fn nth_url(first: String, n: usize) -> String {
    if n == 0 {
        first
    } else {
        format!("{first}page/{}/", n + 1)
    }
}

/// The programs of the site's terms, in the order of their newest term.
pub fn programs(shared: &Shared) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in shared.site.terms.iter().filter_map(|t| t.program.as_ref()) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

fn program_slug(name: &str) -> String {
    let slug = crate::slug::slugify(name);
    if slug.is_empty() {
        "program".into()
    } else {
        slug
    }
}

impl Page {
    /// The page's URL below the base path (`skills/go/`; `` for home).
    pub fn url(self, shared: &Shared) -> String {
        let tax = &shared.taxonomy;
        match self {
            Page::Home => String::new(),
            Page::Idea(i) => shared.site.ideas[i].url.clone(),
            Page::Organizations => "organizations/".into(),
            Page::Organization(i, n) => nth_url(
                format!("organizations/{}/", tax.organizations.entries[i].slug),
                n,
            ),
            Page::Skills => "skills/".into(),
            Page::Skill(i, n) => nth_url(format!("skills/{}/", tax.skills.entries[i].slug), n),
            Page::Mentors => "mentors/".into(),
            Page::Mentor(i, n) => nth_url(format!("mentors/{}/", tax.mentors.entries[i].slug), n),
            Page::Terms => "terms/".into(),
            Page::Term(i, n) => nth_url(format!("terms/{}/", shared.site.terms[i].id), n),
            Page::Stats => "stats/".into(),
            Page::Search => "search/".into(),
            Page::NotFound => "404.html".into(),
            Page::Program(i) => programs(shared).get(i).map_or_else(
                || "programs/".into(),
                |n| format!("programs/{}/", program_slug(n)),
            ),
            Page::Guide(i) => shared.site.pages[i].url.clone(),
        }
    }

    /// The file it is written to.
    pub fn file(self, shared: &Shared) -> String {
        match self {
            Page::NotFound => "404.html".into(),
            other => format!("{}index.html", other.url(shared)),
        }
    }

    pub fn template(self) -> &'static str {
        match self {
            Page::Home => "index.html",
            Page::Idea(_) => "idea.html",
            Page::Organizations => "organizations.html",
            Page::Organization(..) => "organization.html",
            Page::Skills => "skills.html",
            Page::Skill(..) => "skill.html",
            Page::Mentors => "mentors.html",
            Page::Mentor(..) => "mentor.html",
            Page::Terms => "terms.html",
            Page::Term(..) => "term.html",
            Page::Stats => "stats.html",
            Page::Search => "search.html",
            Page::NotFound => "404.html",
            Page::Program(_) => "program.html",
            Page::Guide(_) => "guide.html",
        }
    }

    /// A hash of everything [`Page::context`] builds this page from, or `None`
    /// for the pages that show the whole site (home, indexes, stats, search, 404),
    /// which are cheap next to the rest and are simply rendered every time.
    /// Keep it in step with `context`: a piece of a context missing here would
    /// leave a page stale in the dev server (`tests/incremental.rs` compares
    /// incremental renders with full ones).
    pub fn fingerprint(self, shared: &Shared, prints: &Prints) -> Option<u64> {
        let term_print = |idea: usize| {
            shared
                .term_position(&shared.site.ideas[idea].term)
                .map(|t| prints.terms[t])
        };
        let tax = &shared.taxonomy;
        let entry = |kind: &str, entry: &Entry, n: usize| {
            let mut print = Fingerprint::new(kind);
            print
                .add(prints.site)
                .add(&entry.name)
                .add(&entry.slug)
                .add(&entry.github)
                .add(n)
                .add(entry.ideas.len())
                .add(by_term_count(shared, &entry.ideas));
            for &i in page_slice(&entry.ideas, n) {
                print.add(prints.cards[i]).add(term_print(i));
            }
            print.finish()
        };
        match self {
            Page::Idea(i) => {
                let (prev, next) = shared.neighbours(i);
                let mut print = Fingerprint::new("idea");
                print
                    .add(prints.site)
                    .add(prints.cards[i])
                    .add(prints.ideas[i])
                    .add(term_print(i))
                    .add(prev.map(|p| prints.cards[p]))
                    .add(next.map(|n| prints.cards[n]));
                Some(print.finish())
            }
            Page::Organization(i, n) => {
                Some(entry("organization", &tax.organizations.entries[i], n))
            }
            Page::Skill(i, n) => Some(entry("skill", &tax.skills.entries[i], n)),
            Page::Mentor(i, n) => Some(entry("mentor", &tax.mentors.entries[i], n)),
            Page::Term(i, n) => {
                let ideas = shared.ideas_of_term(&shared.site.terms[i].id);
                let mut print = Fingerprint::new("term");
                print
                    .add(prints.site)
                    .add(prints.terms[i])
                    .add(n)
                    .add(ideas.len());
                for &idea in page_slice(ideas, n) {
                    print.add(prints.cards[idea]);
                }
                print.add_serialized(&top_skills(shared, ideas, 12));
                Some(print.finish())
            }
            Page::Home
            | Page::Organizations
            | Page::Skills
            | Page::Mentors
            | Page::Terms
            | Page::Stats
            | Page::Search
            | Page::NotFound
            | Page::Program(_)
            | Page::Guide(_) => None,
        }
    }

    /// The context its template is rendered with: always `site` and `page`, plus
    /// its own. Fails only when the theme's `card.html` does.
    pub fn context(self, shared: &Shared) -> Result<Context, Error> {
        let mut ctx = Context::new();
        ctx.insert("site", &shared.view);
        let url = self.url(shared);
        let base = shared.base();
        let tax = &shared.taxonomy;
        let (title, description, section) = match self {
            Page::Home => home(shared, &mut ctx)?,
            Page::Idea(i) => idea(shared, i, &mut ctx),
            Page::Organizations => {
                ctx.insert(
                    "items",
                    &index_items(&tax.organizations.entries, base, "organizations"),
                );
                (
                    "Organizations".into(),
                    format!(
                        "The {} organizations that offer project ideas.",
                        tax.organizations.entries.len()
                    ),
                    "organizations",
                )
            }
            Page::Skills => {
                ctx.insert("items", &index_items(&tax.skills.entries, base, "skills"));
                (
                    "Skills".into(),
                    format!(
                        "Find a project by the {} skills mentors ask for.",
                        tax.skills.entries.len()
                    ),
                    "skills",
                )
            }
            Page::Mentors => {
                ctx.insert("items", &index_items(&tax.mentors.entries, base, "mentors"));
                (
                    "Mentors".into(),
                    format!(
                        "The {} mentors who proposed project ideas.",
                        tax.mentors.entries.len()
                    ),
                    "mentors",
                )
            }
            Page::Organization(i, n) => {
                let entry = &tax.organizations.entries[i];
                entry_page(shared, entry, n, &url, &mut ctx)?;
                (
                    entry.name.clone(),
                    format!(
                        "{} project ideas from {}, newest term first.",
                        entry.ideas.len(),
                        entry.name
                    ),
                    "organizations",
                )
            }
            Page::Skill(i, n) => {
                let entry = &tax.skills.entries[i];
                entry_page(shared, entry, n, &url, &mut ctx)?;
                (
                    entry.name.clone(),
                    format!(
                        "{} project ideas that ask for {}.",
                        entry.ideas.len(),
                        entry.name
                    ),
                    "skills",
                )
            }
            Page::Mentor(i, n) => {
                let entry = &tax.mentors.entries[i];
                entry_page(shared, entry, n, &url, &mut ctx)?;
                let github = entry
                    .github
                    .as_deref()
                    .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
                ctx.insert("github", &github);
                ctx.insert(
                    "github_url",
                    &github.map(|h| format!("https://github.com/{h}")),
                );
                (
                    entry.name.clone(),
                    format!("Project ideas mentored by {}.", entry.name),
                    "mentors",
                )
            }
            Page::Terms => {
                ctx.insert("terms", &shared.terms);
                (
                    "All terms".into(),
                    format!("Every term of the program: {} in all.", shared.terms.len()),
                    "terms",
                )
            }
            Page::Term(i, n) => term(shared, i, n, &url, &mut ctx)?,
            Page::Stats => stats(shared, &mut ctx),
            Page::Search => (
                "Search".into(),
                "Search project ideas by skill, organization, mentor or word.".into(),
                "search",
            ),
            Page::NotFound => (
                "Page not found".into(),
                "This page does not exist.".into(),
                "",
            ),
            Page::Program(i) => program(shared, i, &mut ctx),
            Page::Guide(i) => guide(shared, i, &mut ctx),
        };
        let title = match self {
            Page::Organization(_, n)
            | Page::Skill(_, n)
            | Page::Mentor(_, n)
            | Page::Term(_, n)
                if n > 0 =>
            {
                format!("{title}, page {}", n + 1)
            }
            _ => title,
        };
        ctx.insert("page", &shared.meta(&title, &description, &url, section));
        Ok(ctx)
    }
}

/// Ideas of one term, as organization, skill and mentor pages list them: the
/// HTML of their cards ([`CardStyle::Full`]).
#[derive(Serialize)]
struct TermGroup<'a> {
    term: &'a TermView,
    cards: Vec<&'a str>,
}

/// Ideas of one organization within a term, as the term and home pages list
/// them: the HTML of their cards ([`CardStyle::UnderOrganization`]).
#[derive(Serialize)]
struct OrgGroup<'a> {
    organization: &'a Link,
    cards: Vec<&'a str>,
}

/// A line of an index page.
#[derive(Serialize)]
struct IndexItem<'a> {
    name: &'a str,
    href: String,
    ideas: usize,
}

fn index_items<'a>(entries: &'a [Entry], base: &str, dir: &str) -> Vec<IndexItem<'a>> {
    entries
        .iter()
        .map(|e| IndexItem {
            name: &e.name,
            href: format!("{base}{dir}/{}/", e.slug),
            ideas: e.ideas.len(),
        })
        .collect()
}

/// Groups ideas by organization, in the order organizations first appear.
fn by_organization<'a>(shared: &'a Shared, ideas: &[usize]) -> Result<Vec<OrgGroup<'a>>, Error> {
    let mut groups: Vec<OrgGroup> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for &i in ideas {
        let organization = &shared.cards[i].organization;
        let html = shared.card_html(i, CardStyle::UnderOrganization)?;
        match group_of.get(organization.href.as_str()) {
            Some(&g) => groups[g].cards.push(html),
            None => {
                group_of.insert(&organization.href, groups.len());
                groups.push(OrgGroup {
                    organization,
                    cards: vec![html],
                });
            }
        }
    }
    Ok(groups)
}

/// Groups ideas by term, in the order given (newest term first).
fn by_term<'a>(shared: &'a Shared, ideas: &[usize]) -> Result<Vec<TermGroup<'a>>, Error> {
    let mut groups: Vec<TermGroup> = Vec::new();
    for &i in ideas {
        let idea = &shared.site.ideas[i];
        let Some(term) = shared.term_view(&idea.term) else {
            continue;
        };
        let html = shared.card_html(i, CardStyle::Full)?;
        match groups.last_mut() {
            Some(g) if g.term.id == term.id => g.cards.push(html),
            _ => groups.push(TermGroup {
                term,
                cards: vec![html],
            }),
        }
    }
    Ok(groups)
}

#[derive(Serialize)]
struct SkillCount {
    name: String,
    href: String,
    ideas: usize,
}

/// Skills by how many of `ideas` ask for them, most first; ties by name, as
/// the skills index orders them.
fn top_skills(shared: &Shared, ideas: &[usize], limit: usize) -> Vec<SkillCount> {
    let skills = &shared.taxonomy.skills;
    let mut counts: HashMap<usize, usize> = HashMap::new();
    let mut of_idea: Vec<usize> = Vec::new();
    for &i in ideas {
        of_idea.clear();
        of_idea.extend(
            shared.site.ideas[i]
                .skills
                .iter()
                .filter_map(|s| skills.position(&taxonomy::skill_key(s))),
        );
        of_idea.sort_unstable();
        of_idea.dedup();
        for &entry in &of_idea {
            *counts.entry(entry).or_insert(0) += 1;
        }
    }
    let mut counted: Vec<(usize, usize)> = counts.into_iter().collect();
    counted.sort_unstable();
    let mut counts: Vec<SkillCount> = counted
        .into_iter()
        .map(|(entry, n)| {
            let entry = &skills.entries[entry];
            SkillCount {
                name: entry.name.clone(),
                href: format!("{}skills/{}/", shared.base(), entry.slug),
                ideas: n,
            }
        })
        .collect();
    counts.sort_by(|a, b| {
        b.ideas
            .cmp(&a.ideas)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    counts.truncate(limit);
    counts
}

type Heading = (String, String, &'static str);

fn home(shared: &Shared, ctx: &mut Context) -> Result<Heading, Error> {
    let current = shared.site.current_term();
    let current_view = current.and_then(|t| shared.term_view(&t.id));
    ctx.insert("current", &current_view);
    let ideas = current.map_or(&[][..], |t| shared.ideas_of_term(&t.id));
    ctx.insert("top_skills", &top_skills(shared, ideas, 16));
    // The first page of the term's ideas, as the term's own page lists them,
    // and a link to the next: the home page stays small however big the term.
    ctx.insert("groups", &by_organization(shared, page_slice(ideas, 0))?);
    let more = current.filter(|_| ideas.len() > IDEAS_PER_PAGE).map(|t| {
        format!(
            "{}{}",
            shared.base(),
            nth_url(format!("terms/{}/", t.id), 1)
        )
    });
    ctx.insert("more", &more);
    let earlier: Vec<&TermView> = shared
        .terms
        .iter()
        .filter(|t| Some(t.id.as_str()) != current.map(|c| c.id.as_str()))
        .collect();
    ctx.insert("earlier", &earlier);
    let names = programs(shared);
    let summaries: Vec<ProgramSummary> = names
        .iter()
        .map(|name| {
            let terms = program_terms(shared, name);
            let (now, at) = now_in(&terms);
            ProgramSummary {
                name,
                href: format!("{}programs/{}/", shared.base(), program_slug(name)),
                now,
                term: at.map(|i| terms[i]),
            }
        })
        .collect();
    ctx.insert("programs", &summaries);
    ctx.insert("guides", &guides_of(shared, None));
    Ok((
        shared.view.title.clone(),
        shared.view.description.clone(),
        "home",
    ))
}

/// A program as the home page lists it: what is open in it now.
#[derive(Serialize)]
struct ProgramSummary<'a> {
    name: &'a str,
    href: String,
    now: String,
    term: Option<&'a TermView>,
}

/// Says what is open in a program now, honestly when nothing is: `terms` are
/// the program's, newest first.
fn now_in(terms: &[&TermView]) -> (String, Option<usize>) {
    let find = |status: &str| terms.iter().position(|t| t.status == Some(status));
    if let Some(i) = find("open") {
        let t = terms[i];
        let until = t
            .applications_close
            .as_ref()
            .map(|d| format!(" until {d}"))
            .unwrap_or_default();
        return (
            format!("{} is open for applications{until}.", t.title),
            Some(i),
        );
    }
    if let Some(i) = terms.iter().rposition(|t| t.status == Some("upcoming")) {
        let t = terms[i];
        let when = match (&t.applications_open, &t.dates) {
            (Some(open), _) => format!("opens for applications on {open}"),
            (None, Some(dates)) => format!("runs {dates}"),
            (None, None) => "is coming".into(),
        };
        return (format!("No term is open now; {} {when}.", t.title), Some(i));
    }
    if let Some(i) = find("in-progress") {
        return (
            format!(
                "No term is open for applications; {} is in progress.",
                terms[i].title
            ),
            Some(i),
        );
    }
    match terms.first() {
        Some(t) => (
            format!(
                "No term is open; the most recent was {}{}.",
                t.title,
                t.dates
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ),
            Some(0),
        ),
        None => ("No term yet.".into(), None),
    }
}

fn program_terms<'a>(shared: &'a Shared, name: &str) -> Vec<&'a TermView> {
    shared
        .site
        .terms
        .iter()
        .zip(&shared.terms)
        .filter(|(t, _)| t.program.as_deref() == Some(name))
        .map(|(_, v)| v)
        .collect()
}

fn guides_of(shared: &Shared, program: Option<&str>) -> Vec<Link> {
    shared
        .site
        .pages
        .iter()
        .filter(|p| p.program.as_deref() == program)
        .map(|p| Link {
            name: p.title.clone(),
            href: format!("{}{}", shared.base(), p.url),
        })
        .collect()
}

fn program(shared: &Shared, i: usize, ctx: &mut Context) -> Heading {
    let names = programs(shared);
    let name = names.get(i).map_or("", String::as_str);
    let terms = program_terms(shared, name);
    let (now, _) = now_in(&terms);
    ctx.insert("name", name);
    ctx.insert("now", &now);
    ctx.insert("terms", &terms);
    ctx.insert("guides", &guides_of(shared, Some(name)));
    (
        name.to_string(),
        format!("{name}: {} terms of project ideas. {now}", terms.len()),
        "programs",
    )
}

fn guide(shared: &Shared, i: usize, ctx: &mut Context) -> Heading {
    let page = &shared.site.pages[i];
    let html = shared
        .markdown
        .to_html(&strip_title(&page.markdown, &page.title), 1);
    ctx.insert("html", &html);
    ctx.insert("title", &page.title);
    let program = page.program.as_ref().map(|name| Link {
        name: name.clone(),
        href: if programs(shared).contains(name) {
            format!("{}programs/{}/", shared.base(), program_slug(name))
        } else {
            String::new()
        },
    });
    ctx.insert("program", &program);
    let description = Some(summary(&page.markdown, 200))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| page.title.clone());
    (page.title.clone(), description, "guides")
}

/// A guide's markdown without its leading `# Title` line, which the page shows
/// as its heading already.
fn strip_title(markdown: &str, title: &str) -> String {
    let trimmed = markdown.trim_start();
    if let Some(rest) = trimmed.strip_prefix("# ") {
        let (first, after) = rest.split_once('\n').unwrap_or((rest, ""));
        if first.trim() == title.trim() {
            return after.to_string();
        }
    }
    markdown.to_string()
}

fn idea(shared: &Shared, i: usize, ctx: &mut Context) -> Heading {
    let idea = &shared.site.ideas[i];
    let card = &shared.cards[i];
    ctx.insert("idea", card);
    ctx.insert("detail", &shared.detail(idea));
    ctx.insert("term", &shared.term_view(&idea.term));
    let link = |j: usize| Link {
        name: shared.cards[j].title.clone(),
        href: shared.cards[j].href.clone(),
    };
    let (prev, next) = shared.neighbours(i);
    let (prev, next) = (prev.map(link), next.map(link));
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    let description = if card.summary.is_empty() {
        format!(
            "A project idea from {} for {}.",
            card.organization.name, card.term.name
        )
    } else {
        card.summary.clone()
    };
    (idea.title.clone(), description, "idea")
}

/// Where page `number` (from 1) of `count` pages sits: for the page's heading,
/// its links to the previous and next pages (`rel=prev`/`next`, in the head and
/// in the page) and the range of ideas it lists.
#[derive(Serialize)]
struct Pagination {
    number: usize,
    count: usize,
    prev: Option<String>,
    next: Option<String>,
    first_idea: usize,
    last_idea: usize,
}

/// The pagination of page `n` (from 0) of a list of `ideas` whose page is at
/// `url` (below the base path).
fn pagination(shared: &Shared, ideas: usize, n: usize, url: &str) -> Pagination {
    let count = page_count(ideas);
    let first = match n {
        0 => url.to_string(),
        _ => url[..url.len() - format!("page/{}/", n + 1).len()].to_string(),
    };
    let href = |m: usize| format!("{}{}", shared.base(), nth_url(first.clone(), m));
    Pagination {
        number: n + 1,
        count,
        prev: n.checked_sub(1).map(href),
        next: (n + 1 < count).then(|| href(n + 1)),
        first_idea: (n * IDEAS_PER_PAGE + 1).min(ideas),
        last_idea: ((n + 1) * IDEAS_PER_PAGE).min(ideas),
    }
}

fn entry_page(
    shared: &Shared,
    entry: &Entry,
    n: usize,
    url: &str,
    ctx: &mut Context,
) -> Result<(), Error> {
    ctx.insert("name", &entry.name);
    ctx.insert("count", &entry.ideas.len());
    let terms = by_term_count(shared, &entry.ideas);
    ctx.insert("terms", &terms);
    ctx.insert("groups", &by_term(shared, page_slice(&entry.ideas, n))?);
    ctx.insert("pagination", &pagination(shared, entry.ideas.len(), n, url));
    Ok(())
}

/// In how many terms `ideas` (newest term first) are: the lede of an entry's
/// page counts them all, not only the page's.
fn by_term_count(shared: &Shared, ideas: &[usize]) -> usize {
    let mut terms = 0;
    let mut last: Option<&str> = None;
    for &i in ideas {
        let term = shared.site.ideas[i].term.as_str();
        if last != Some(term) && shared.term_view(term).is_some() {
            terms += 1;
            last = Some(term);
        }
    }
    terms
}

fn term(
    shared: &Shared,
    i: usize,
    n: usize,
    url: &str,
    ctx: &mut Context,
) -> Result<Heading, Error> {
    let term = &shared.site.terms[i];
    let view = &shared.terms[i];
    ctx.insert("term", view);
    ctx.insert("notes", &term_notes::to_html(term, &shared.markdown));
    let ideas = shared.ideas_of_term(&term.id);
    ctx.insert("groups", &by_organization(shared, page_slice(ideas, n))?);
    ctx.insert("top_skills", &top_skills(shared, ideas, 12));
    ctx.insert("pagination", &pagination(shared, ideas.len(), n, url));
    let description = term_notes::shown_markdown(term)
        .first()
        .map(|md| summary(md, 200))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("{} project ideas of {}.", view.ideas, term.title));
    Ok((term.title.clone(), description, "terms"))
}

#[derive(Serialize)]
struct Chart {
    title: &'static str,
    note: String,
    svg: String,
}

#[derive(Serialize)]
struct Totals {
    terms: usize,
    ideas: usize,
    organizations: usize,
    skills: usize,
    mentors: usize,
}

fn stats(shared: &Shared, ctx: &mut Context) -> Heading {
    let tax = &shared.taxonomy;
    let base = shared.base();
    let bars = |entries: &[Entry], dir: &str, limit: usize| {
        let mut bars: Vec<Bar> = entries
            .iter()
            .map(|e| Bar {
                label: e.name.clone(),
                value: e.ideas.len(),
                href: format!("{base}{dir}/{}/", e.slug),
            })
            .collect();
        bars.sort_by(|a, b| {
            b.value
                .cmp(&a.value)
                .then_with(|| a.label.to_lowercase().cmp(&b.label.to_lowercase()))
        });
        bars.truncate(limit);
        bars
    };
    let orgs = bars(&tax.organizations.entries, "organizations", 20);
    let skills = bars(&tax.skills.entries, "skills", 20);
    let grid = skills_across_terms(shared, &skills[..skills.len().min(10)]);
    let charts = vec![
        Chart {
            title: "Ideas per organization",
            note: format!(
                "The {} organizations with the most ideas, all terms together.",
                orgs.len()
            ),
            svg: bar_chart(
                "chart-orgs",
                "Ideas per organization",
                &describe_bars(&orgs),
                &orgs,
            ),
        },
        Chart {
            title: "Most wanted skills",
            note: format!(
                "The {} skills asked for most often, all terms together.",
                skills.len()
            ),
            svg: bar_chart(
                "chart-skills",
                "Most wanted skills",
                &describe_bars(&skills),
                &skills,
            ),
        },
        Chart {
            title: "Skills across terms",
            note: format!(
                "How often the top {} skills were asked for in each of the last {} terms.",
                grid.rows.len(),
                grid.columns.len()
            ),
            svg: grid_chart(
                "chart-trend",
                "Skills across terms",
                "Number of ideas asking for each skill, per term, oldest term on the left.",
                &grid,
            ),
        },
    ];
    ctx.insert("charts", &charts);
    ctx.insert(
        "totals",
        &Totals {
            terms: shared.site.terms.len(),
            ideas: shared.site.ideas.len(),
            organizations: tax.organizations.entries.len(),
            skills: tax.skills.entries.len(),
            mentors: tax.mentors.entries.len(),
        },
    );
    (
        "Stats".into(),
        "Ideas per organization, the most wanted skills and how they changed across terms.".into(),
        "stats",
    )
}

fn describe_bars(bars: &[Bar]) -> String {
    bars.iter()
        .map(|b| format!("{}: {}", b.label, b.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Counts per skill per term, for the last twelve terms, oldest first.
fn skills_across_terms(shared: &Shared, skills: &[Bar]) -> Grid {
    let terms: Vec<&TermView> = shared.terms.iter().take(12).rev().collect();
    let rows = skills
        .iter()
        .map(|bar| {
            let entry = shared.taxonomy.skill(&bar.label);
            let counts = terms
                .iter()
                .map(|t| {
                    entry.map_or(0, |e| {
                        let of_term = shared.ideas_of_term(&t.id);
                        e.ideas
                            .iter()
                            .filter(|i| of_term.binary_search(i).is_ok())
                            .count()
                    })
                })
                .collect();
            (bar.clone(), counts)
        })
        .collect();
    Grid {
        columns: terms.iter().map(|t| t.short_name.clone()).collect(),
        rows,
    }
}
