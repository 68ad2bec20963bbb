//! Idea cards, rendered once per build and pasted into every list that shows them.
//!
//! An idea is listed on its term page and on its organization's, each of its
//! skills' and each of its mentors' pages: on a big site each card appears about
//! seven times. Rendering it with `card.html` once per style, on first use, and
//! giving list templates the finished HTML makes the list pages cost little more
//! than the bytes they hold; a theme still controls the card through `card.html`.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use super::assets::Theme;
use super::context::{IdeaCard, SiteView};
use super::{describe, Error};

/// How a list shows its cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStyle {
    /// On organization, skill and mentor pages, under a term heading: the
    /// title is a third-level heading and the organization is named.
    Full,
    /// On the term and home pages, already under the organization's heading:
    /// a fourth-level title, and the organization left out.
    UnderOrganization,
}

impl CardStyle {
    fn index(self) -> usize {
        self as usize
    }

    fn heading_level(self) -> u8 {
        match self {
            CardStyle::Full => 3,
            CardStyle::UnderOrganization => 4,
        }
    }
}

/// What `card.html` is rendered with.
#[derive(Serialize)]
struct CardContext<'a> {
    site: &'a SiteView,
    idea: &'a IdeaCard,
    level: u8,
    show_org: bool,
}

/// The rendered cards of a site's ideas, in `Site::ideas` order.
pub struct Cards<'a> {
    tera: &'a tera::Tera,
    theme: &'a Theme,
    /// Per idea, one slot per [`CardStyle`]; a render error is kept as its message.
    html: Vec<[OnceLock<Result<String, String>>; 2]>,
}

impl<'a> Cards<'a> {
    pub fn new(tera: &'a tera::Tera, theme: &'a Theme, ideas: usize) -> Cards<'a> {
        Cards {
            tera,
            theme,
            html: (0..ideas).map(|_| Default::default()).collect(),
        }
    }

    /// The HTML of idea `i`'s card in `style`, rendered on first use.
    pub fn html(
        &self,
        i: usize,
        style: CardStyle,
        site: &SiteView,
        card: &IdeaCard,
    ) -> Result<&str, Error> {
        self.html[i][style.index()]
            .get_or_init(|| {
                let context = CardContext {
                    site,
                    idea: card,
                    level: style.heading_level(),
                    show_org: style == CardStyle::Full,
                };
                Context::from_serialize(context)
                    .and_then(|ctx| self.tera.render("card.html", &ctx))
                    .map_err(|e| {
                        format!(
                            "cannot render the card of '{}': {}",
                            card.title,
                            describe(&e, self.theme)
                        )
                    })
            })
            .as_deref()
            .map_err(|message| Error::Page(message.clone()))
    }
}
