//! What templates see: small, serializable views of the model with every URL
//! already made absolute under the base path and every outside URL already
//! checked, so a template can only get escaping wrong by writing `| safe`.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::model::{Idea, Mentor, Site, Term};
use crate::util::email;

use super::assets::Theme;
use super::cards::{CardStyle, Cards};
use super::markdown::Markdown;
use super::taxonomy::Taxonomy;
use crate::prepare::Ideas;
use crate::util::fingerprint::{self, Fingerprint};

/// A name and where it links to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub name: String,
    pub href: String,
}

/// The site as every page's header and footer need it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// The base path, starting and ending with `/`: prefix of every internal link.
    pub base: String,
    /// Whether `search/` exists (its template is in the theme).
    pub has_search: bool,
    pub generator: &'static str,
}

/// The page itself, for `<title>`, the description and Open Graph meta.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// Absolute URL when `base_url` names a host, else the absolute path.
    pub url: String,
    /// `website` or `article`, for `og:type`.
    pub kind: &'static str,
    /// Which top navigation entry is this page's: `home`, `terms`, `organizations`, …
    pub section: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    pub event: String,
    pub date: String,
    pub iso: Option<String>,
}

/// A term with its counts, for headers, cards and the archive.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub id: String,
    pub title: String,
    /// The term's name within its program ("2026 Term 1"), else its id: for chart columns.
    pub short_name: String,
    pub href: String,
    pub status: Option<&'static str>,
    /// "2 March 2026 – 29 May 2026", when the term has dates.
    pub dates: Option<String>,
    pub apply_url: Option<String>,
    pub ideas: usize,
    pub organizations: usize,
    pub mentors: usize,
    pub timeline: Vec<TimelineView>,
    /// `terms/<id>/calendar.ics`, when a timeline entry has a date.
    pub calendar_href: Option<String>,
    pub program: Option<String>,
    /// The program's page (`programs/<slug>/`).
    pub program_href: Option<String>,
    /// The file's own heading, shown beside a title made from the path.
    pub heading: Option<String>,
    /// When applications open or close (`YYYY-MM-DD`), for "opens on …" lines.
    pub applications_open: Option<String>,
    pub applications_close: Option<String>,
}

/// An idea as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct IdeaCard {
    pub title: String,
    pub href: String,
    pub organization: Link,
    pub subprojects: Vec<String>,
    pub term: Link,
    pub status: Option<&'static str>,
    /// The first [`CARD_SKILLS`] skills; `more_skills` counts the rest.
    pub skills: Vec<Link>,
    pub more_skills: usize,
    /// The first [`CARD_MENTORS`] mentors; `more_mentors` counts the rest.
    pub mentors: Vec<String>,
    pub more_mentors: usize,
    pub summary: String,
    pub difficulty: Option<String>,
    /// Selected or accepted for its term.
    pub selected: bool,
}

/// How many skills a card lists before "and N more". A card is repeated on
/// the page of each of its skills and mentors: listing them all would make
/// the output grow with the square of one idea's skills (4,000 skills, a
/// 27 KB file, wrote 878 MB). The idea's own page lists every one.
pub const CARD_SKILLS: usize = 12;

/// How many mentors a card names before "and N more", for the same reason.
pub const CARD_MENTORS: usize = 8;

/// A mentor on an idea page. The email is never in the page as an address:
/// `email_code` is its bytes reversed and hex-encoded, for the theme's script to
/// turn into a link on click; `email_text` is the readable "name at host dot org".
#[derive(Debug, Clone, Serialize)]
pub struct MentorView {
    pub name: String,
    pub href: Option<String>,
    pub github: Option<String>,
    pub github_url: Option<String>,
    pub url: Option<String>,
    pub email_code: Option<String>,
    pub email_text: Option<String>,
    pub note: Option<String>,
    pub role: Option<String>,
}

/// A field whose label Trellis does not know, rendered as written.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub label: String,
    pub html: String,
}

/// Everything the idea page shows beyond its card.
#[derive(Debug, Clone, Serialize)]
pub struct IdeaDetail {
    pub intro_html: Option<String>,
    pub description_html: Option<String>,
    pub outcome_html: Option<String>,
    pub stretch_html: Option<String>,
    pub notes_html: Option<String>,
    pub skill_notes: Vec<String>,
    pub mentors: Vec<MentorView>,
    pub issues: Vec<Link>,
    pub lfx_url: Option<String>,
    pub size: Option<String>,
    /// The normalized difficulty and size ("medium", "large · 350 hours"), shown
    /// beside the words the author wrote when they differ.
    pub difficulty_level: Option<String>,
    pub size_normalized: Option<String>,
    pub category: Option<String>,
    pub draft: bool,
    /// Mentor entries that name no person ("TBD"), shown as written.
    pub mentor_notes: Vec<String>,
    pub extra: Vec<FieldView>,
    pub edit_url: Option<String>,
    /// The issue an idea was proposed in, for ideas read from issues: they
    /// are changed by editing the issue, not a file.
    pub discuss_url: Option<String>,
}

/// Hashes of what pages are made from: the site's settings, each card, each
/// idea's own page data, each term (its file's part and its view).
pub struct Prints {
    pub site: u64,
    pub cards: Vec<u64>,
    pub ideas: Vec<u64>,
    pub terms: Vec<u64>,
}

/// What is computed once per build and shared by every page.
pub struct Shared<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub taxonomy: Taxonomy,
    pub markdown: Markdown,
    pub view: SiteView,
    /// `https://host/base/` when `base_url` names a host, else the base path.
    pub absolute_base: String,
    /// One per idea, in `Site::ideas` order.
    pub cards: Vec<IdeaCard>,
    /// The cards as `card.html` renders them, for list pages.
    card_html: Cards<'a>,
    /// One per term, in `Site::terms` order.
    pub terms: Vec<TermView>,
    /// The ideas of each term id, in `Site::ideas` order: lists, counts and the
    /// previous and next links read these instead of scanning every idea.
    term_groups: Vec<Vec<usize>>,
    group_of_term: HashMap<&'a str, usize>,
    /// Each idea's group and place in it.
    place: Vec<(usize, usize)>,
    /// Index into `terms` by term id.
    term_index: HashMap<&'a str, usize>,
    derived: &'a Ideas,
}

impl<'a> Shared<'a> {
    /// `ideas` is what was derived from each idea of `site` ([`Ideas::of`]);
    /// `tera` holds the compiled templates of `theme`, for the cards.
    pub fn new(
        site: &'a Site,
        config: &'a Config,
        theme: &'a Theme,
        tera: &'a tera::Tera,
        ideas: &'a Ideas,
    ) -> Shared<'a> {
        let base = config.base_path();
        let absolute_base = config.absolute_base();
        let taxonomy = Taxonomy::build(site);
        let site_pages = site
            .pages
            .iter()
            .map(|p| format!("{base}{}", p.url))
            .chain(site.terms.iter().map(|t| format!("{base}terms/{}/", t.id)))
            .collect();
        let markdown = Markdown::with_site_pages(source_base(config), site_pages);
        let mut group_of_term: HashMap<&str, usize> = HashMap::new();
        let mut term_groups: Vec<Vec<usize>> = Vec::new();
        let mut place = Vec::with_capacity(site.ideas.len());
        for (i, idea) in site.ideas.iter().enumerate() {
            let group = *group_of_term.entry(idea.term.as_str()).or_insert_with(|| {
                term_groups.push(Vec::new());
                term_groups.len() - 1
            });
            place.push((group, term_groups[group].len()));
            term_groups[group].push(i);
        }
        let no_ideas = Vec::new();
        let terms: Vec<TermView> = site
            .terms
            .iter()
            .map(|t| {
                let ideas = group_of_term
                    .get(t.id.as_str())
                    .map_or(&no_ideas, |&g| &term_groups[g]);
                term_view(t, site, ideas, &base)
            })
            .collect();
        let mut term_index = HashMap::with_capacity(site.terms.len());
        for (i, term) in site.terms.iter().enumerate() {
            term_index.entry(term.id.as_str()).or_insert(i);
        }
        let cards = site
            .ideas
            .par_iter()
            .enumerate()
            .map(|(i, idea)| {
                let term = term_index.get(idea.term.as_str()).map(|&i| &terms[i]);
                card(idea, &ideas.get(i).summary, term, &taxonomy, &base)
            })
            .collect();
        Shared {
            site,
            config,
            view: SiteView {
                title: config.title.clone(),
                description: config.description.clone(),
                base: base.clone(),
                has_search: theme.has_template("search.html"),
                generator: concat!("Trellis ", env!("CARGO_PKG_VERSION")),
            },
            absolute_base,
            taxonomy,
            markdown,
            card_html: Cards::new(tera, theme, site.ideas.len()),
            cards,
            terms,
            term_groups,
            group_of_term,
            place,
            term_index,
            derived: ideas,
        }
    }

    pub fn base(&self) -> &str {
        &self.view.base
    }

    /// The HTML of idea `i`'s card as lists in `style` show it.
    pub fn card_html(&self, i: usize, style: CardStyle) -> Result<&str, super::Error> {
        self.card_html.html(i, style, &self.view, &self.cards[i])
    }

    /// Hashes of the pieces page contexts are built from, for page fingerprints.
    pub fn fingerprints(&self) -> Prints {
        let site = Fingerprint::new("site")
            .add_serialized(&self.view)
            .add(&self.absolute_base)
            .add_serialized(self.config)
            .finish();
        let cards = self
            .cards
            .par_iter()
            .map(|c| fingerprint::of("card", c))
            .collect();
        // An idea page shows the idea through its card, its detail (the idea
        // itself, the configuration and its mentors' pages) and its term.
        let ideas = self
            .site
            .ideas
            .par_iter()
            .enumerate()
            .map(|(i, idea)| {
                let mut print = Fingerprint::new("idea");
                print.add(self.derived.get(i).hash);
                for mentor in &idea.mentors {
                    print.add(self.taxonomy.mentor(mentor).map(|e| &e.slug));
                }
                print.finish()
            })
            .collect();
        let terms = self
            .site
            .terms
            .iter()
            .zip(&self.terms)
            .map(|(term, view)| {
                Fingerprint::new("term")
                    .add_serialized(term)
                    .add_serialized(view)
                    .finish()
            })
            .collect();
        Prints {
            site,
            cards,
            ideas,
            terms,
        }
    }

    /// Page meta for a site-relative path (`ideas/x/`, or `` for home).
    pub fn meta(
        &self,
        title: &str,
        description: &str,
        rel: &str,
        section: &'static str,
    ) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            description: description.to_string(),
            url: format!("{}{rel}", self.absolute_base),
            kind: if section == "idea" {
                "article"
            } else {
                "website"
            },
            section,
        }
    }

    pub fn term_view(&self, id: &str) -> Option<&TermView> {
        self.term_index.get(id).map(|&i| &self.terms[i])
    }

    /// The index into `Site::terms` of the term with this id.
    pub fn term_position(&self, id: &str) -> Option<usize> {
        self.term_index.get(id).copied()
    }

    /// The ideas of a term, by its id, in `Site::ideas` order.
    pub fn ideas_of_term(&self, id: &str) -> &[usize] {
        self.group_of_term
            .get(id)
            .map_or(&[], |&g| self.term_groups[g].as_slice())
    }

    /// The ideas just before and after idea `i` in its term.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let (group, at) = self.place[i];
        let ideas = &self.term_groups[group];
        let prev = at.checked_sub(1).map(|p| ideas[p]);
        (prev, ideas.get(at + 1).copied())
    }

    /// The idea page's own part: markdown rendered, mentors and links made safe.
    pub fn detail(&self, idea: &Idea) -> IdeaDetail {
        let md = |text: &Option<String>| {
            text.as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| self.markdown.to_html(t, 2))
        };
        IdeaDetail {
            intro_html: md(&idea.intro),
            description_html: md(&idea.description),
            outcome_html: md(&idea.expected_outcome),
            stretch_html: md(&idea.stretch_goals),
            notes_html: md(&idea.notes),
            skill_notes: idea.skill_notes.clone(),
            mentors: idea.mentors.iter().map(|m| self.mentor_view(m)).collect(),
            issues: idea
                .issues
                .iter()
                .filter_map(|issue| {
                    safe_url(&issue.url).map(|href| Link {
                        name: issue.label.clone(),
                        href,
                    })
                })
                .collect(),
            lfx_url: idea.lfx_url.as_deref().and_then(safe_url),
            size: idea.size.clone(),
            difficulty_level: idea.difficulty_level.clone(),
            size_normalized: size_normalized(idea),
            category: idea.category.clone(),
            draft: idea.draft,
            mentor_notes: idea.mentor_notes.clone(),
            extra: idea
                .extra
                .iter()
                .map(|f| FieldView {
                    label: f.label.clone(),
                    html: self.markdown.to_html(&f.value, 2),
                })
                .collect(),
            edit_url: if idea.proposal_url.is_some() {
                None
            } else {
                edit_url(self.config, idea)
            },
            discuss_url: idea.proposal_url.as_deref().and_then(safe_url),
        }
    }

    fn mentor_view(&self, mentor: &Mentor) -> MentorView {
        let github = mentor.github.as_deref().filter(|h| is_github_handle(h));
        let email = mentor.email.as_deref().filter(|e| email::is_email(e));
        MentorView {
            name: mentor.name.clone(),
            href: self
                .taxonomy
                .mentor(mentor)
                .map(|e| format!("{}mentors/{}/", self.base(), e.slug)),
            github: github.map(str::to_string),
            github_url: github.map(|h| format!("https://github.com/{h}")),
            url: mentor.url.as_deref().and_then(safe_url),
            email_code: email.map(email::encode),
            email_text: email.map(email::spoken),
            note: mentor.note.clone(),
            role: mentor.role.clone(),
        }
    }
}

/// Where relative links in term files point: the content directory in the repository.
fn source_base(config: &Config) -> Option<String> {
    let repo = config.repo_url.as_deref().and_then(safe_url)?;
    let dir = content_dir(config);
    Some(format!(
        "{}/blob/{}/{}",
        repo.trim_end_matches('/'),
        encode_path(&config.repo_branch),
        if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", encode_path(&dir))
        }
    ))
}

fn content_dir(config: &Config) -> String {
    config
        .content_dir
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `{repo_url}/blob/{branch}/{content_dir}/{file}#L{line}`: the proposal's own line on GitHub.
pub fn edit_url(config: &Config, idea: &Idea) -> Option<String> {
    let base = source_base(config)?;
    Some(format!(
        "{base}{}#L{}",
        encode_path(&idea.source.file),
        idea.source.line
    ))
}

/// A `/`-separated path percent-encoded for a URL: a file named `a#b.md` or
/// `what?.md` would otherwise link to `a` with a fragment, or to a query.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Only `http` and `https` URLs reach a page from a term file; anything else
/// (`javascript:`, `data:`, relative paths, control characters) is dropped.
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "http://".len()
        && !url.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || c == '<'
                || c == '>'
                || c == '"'
                || c == '\''
                || c == '`'
        });
    ok.then(|| url.to_string())
}

fn is_github_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 39
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn term_view(term: &Term, site: &Site, ideas: &[usize], base: &str) -> TermView {
    let ideas: Vec<&Idea> = ideas.iter().map(|&i| &site.ideas[i]).collect();
    let mut orgs: Vec<String> = ideas
        .iter()
        .map(|i| i.organization.to_lowercase())
        .collect();
    orgs.sort();
    orgs.dedup();
    let mut mentors: Vec<String> = ideas
        .iter()
        .flat_map(|i| &i.mentors)
        .map(|m| {
            m.github
                .clone()
                .unwrap_or_else(|| m.name.clone())
                .to_lowercase()
        })
        .collect();
    mentors.sort();
    mentors.dedup();
    let href = format!("{base}terms/{}/", term.id);
    let has_dates = term.timeline.iter().any(|t| t.iso.is_some());
    let mut timeline = term.timeline.clone();
    let dates = crate::timeline::read(&mut timeline, None);
    TermView {
        program: term.program.clone(),
        program_href: term.program.as_deref().map(|p| {
            let slug = crate::slug::slugify(p);
            format!(
                "{base}programs/{}/",
                if slug.is_empty() { "program" } else { &slug }
            )
        }),
        heading: term.heading.clone(),
        applications_open: dates.applications_open.map(|d| human_date(&d)),
        applications_close: dates.applications_close.map(|d| human_date(&d)),
        id: term.id.clone(),
        title: term.title.clone(),
        short_name: term
            .term
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| term.id.clone()),
        calendar_href: has_dates.then(|| format!("{href}calendar.ics")),
        href,
        status: term.status.map(|s| s.as_str()),
        dates: date_range(term.start.as_deref(), term.end.as_deref()),
        apply_url: term.apply_url.as_deref().and_then(safe_url),
        ideas: ideas.len(),
        organizations: orgs.len(),
        mentors: mentors.len(),
        timeline: term
            .timeline
            .iter()
            .map(|t| TimelineView {
                event: t.event.clone(),
                // A bare ISO date reads better as words; a date as written stays as written.
                date: if Some(&t.date) == t.iso.as_ref() {
                    human_date(&t.date)
                } else {
                    t.date.clone()
                },
                iso: t.iso.clone(),
            })
            .collect(),
    }
}

fn card(
    idea: &Idea,
    summary: &str,
    term: Option<&TermView>,
    taxonomy: &Taxonomy,
    base: &str,
) -> IdeaCard {
    let org_slug = taxonomy
        .organization(&idea.organization)
        .map_or("", |e| e.slug.as_str());
    IdeaCard {
        title: idea.title.clone(),
        href: format!("{base}{}", idea.url),
        organization: Link {
            name: idea.organization.clone(),
            href: format!("{base}organizations/{org_slug}/"),
        },
        subprojects: idea.subprojects.clone(),
        term: Link {
            name: term.map_or_else(|| idea.term.clone(), |t| t.title.clone()),
            href: format!("{base}terms/{}/", idea.term),
        },
        status: term.and_then(|t| t.status),
        skills: idea
            .skills
            .iter()
            .take(CARD_SKILLS)
            .filter_map(|s| {
                taxonomy.skill(s).map(|e| Link {
                    name: s.clone(),
                    href: format!("{base}skills/{}/", e.slug),
                })
            })
            .collect(),
        more_skills: idea.skills.len().saturating_sub(CARD_SKILLS),
        mentors: idea
            .mentors
            .iter()
            .take(CARD_MENTORS)
            .map(|m| m.name.clone())
            .collect(),
        more_mentors: idea.mentors.len().saturating_sub(CARD_MENTORS),
        summary: summary.to_string(),
        difficulty: idea.difficulty.clone(),
        selected: idea.selected,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026-03-02` → `2 March 2026`; anything else is shown as written.
pub fn human_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    if let [y, m, d] = parts[..] {
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<usize>(), d.parse::<u32>()) {
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return format!("{d} {} {y}", MONTHS[m - 1]);
            }
        }
    }
    iso.to_string()
}

fn date_range(start: Option<&str>, end: Option<&str>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) => Some(format!("{} – {}", human_date(s), human_date(e))),
        (Some(s), None) => Some(format!("from {}", human_date(s))),
        (None, Some(e)) => Some(format!("until {}", human_date(e))),
        (None, None) => None,
    }
}

/// "large · 175–350 hours" from an idea's normalized size, when Trellis could read one.
fn size_normalized(idea: &Idea) -> Option<String> {
    let hours = idea.size_hours.map(|h| {
        if h.min == h.max {
            format!("{} hours", h.min)
        } else {
            format!("{}–{} hours", h.min, h.max)
        }
    });
    match (idea.size_class.as_deref(), hours) {
        (Some(class), Some(hours)) => Some(format!("{class} · {hours}")),
        (Some(class), None) => Some(class.to_string()),
        (None, hours) => hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_pass() {
        assert_eq!(
            safe_url(" https://x.org/a "),
            Some("https://x.org/a".into())
        );
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "data:text/html,x",
            "//evil",
            "/local",
            "https://x.org/\"onmouseover=x",
            "http://",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(human_date("2026-03-02"), "2 March 2026");
        assert_eq!(human_date("spring"), "spring");
        assert_eq!(
            date_range(Some("2026-03-02"), Some("2026-05-29")).unwrap(),
            "2 March 2026 – 29 May 2026"
        );
    }

    #[test]
    fn edit_link_points_at_the_proposal_line() {
        let config = Config {
            repo_url: Some("https://github.com/o/r/".into()),
            ..Config::default()
        };
        let idea = Idea {
            source: crate::model::Source {
                file: "2026/t1.md".into(),
                line: 42,
                column: 1,
            },
            ..Idea::default()
        };
        assert_eq!(
            edit_url(&config, &idea).unwrap(),
            "https://github.com/o/r/blob/main/content/2026/t1.md#L42"
        );
        assert_eq!(edit_url(&Config::default(), &idea), None);
        let odd = Idea {
            source: crate::model::Source {
                file: "2026/what? #1 ünï.md".into(),
                line: 3,
                column: 1,
            },
            ..Idea::default()
        };
        assert_eq!(
            edit_url(&config, &odd).unwrap(),
            "https://github.com/o/r/blob/main/content/2026/what%3F%20%231%20%C3%BCn%C3%AF.md#L3"
        );
    }
}
