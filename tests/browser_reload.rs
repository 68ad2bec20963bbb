//! Live reload in a real browser: headless Chromium, driven through chromedriver
//! (tests/support/webdriver.rs), keeps a page of `trellis serve` open while the
//! test edits the site. The page must reload by itself after a good edit, show
//! the error overlay after a bad one, and drop it when the error is fixed.
//!
//! Runs only where chromium and chromedriver are installed; elsewhere it says
//! so loudly and passes, unless TRELLIS_BROWSER_TESTS=1 demands a browser.

#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;
#[path = "support/skip.rs"]
mod skip;
#[path = "support/webdriver.rs"]
mod webdriver;

use serde_json::json;
use server::ExampleServer;
use site::{edit, NO_TITLE_LINE, TERM, TITLE_LINE};
use webdriver::{browser_programs, Browser};

/// The build the open page was served from, once its event stream is open.
const CONNECTED_BUILD: &str =
    "const r = window.__trellisReload; return r && r.connected && document.readyState === 'complete' ? r.build : null;";
const OVERLAY: &str =
    "const o = document.getElementById('trellis-overlay'); return o ? o.textContent : null;";

#[test]
fn open_page_reloads_on_edit_and_shows_overlay_on_bad_edit() {
    let Some((chromium, chromedriver)) = browser_programs() else {
        return;
    };
    let s = ExampleServer::start();
    let term = s.root.join(TERM);
    let browser = Browser::start(&chromium, &chromedriver);
    // The term's page, which lists the idea about to be renamed.
    browser.go(&format!("{}terms/2026-term-1/", s.server.url()));
    let first = browser.wait_for(CONNECTED_BUILD, json!([]), "the page");
    let text = browser.run("return document.body.innerText;", json!([]));
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("SIG Scheduling"), "not the term page: {text}");
    assert!(!text.contains("SIG Scheduling and Preemption"));
    browser.run(
        "window.trellisMarker = 'still the old page'; return null;",
        json!([]),
    );

    edit(
        &term,
        "#### SIG Scheduling",
        "#### SIG Scheduling and Preemption",
    );
    let second = browser.wait_for(
        &format!("if (window.trellisMarker) return null; {CONNECTED_BUILD}"),
        json!([]),
        "the page to reload by itself",
    );
    assert_ne!(first, second, "the reloaded page comes from the new build");
    let text = browser.run("return document.body.innerText;", json!([]));
    assert!(
        text.as_str()
            .unwrap_or_default()
            .contains("SIG Scheduling and Preemption"),
        "the reloaded page shows the edit"
    );

    edit(&term, TITLE_LINE, NO_TITLE_LINE);
    let overlay = browser.wait_for(OVERLAY, json!([]), "the error overlay");
    let overlay = overlay.as_str().unwrap_or_default().to_string();
    assert!(overlay.contains("2026-term-1.md:2"), "{overlay}");
    assert!(overlay.contains("Build failed"), "{overlay}");
    let markup = browser.run(
        "return document.getElementById('trellis-overlay').querySelectorAll('script, img, iframe').length;",
        json!([]),
    );
    assert_eq!(markup, json!(0), "the overlay holds text only");

    browser.run(
        "window.trellisMarker = 'overlay page'; return null;",
        json!([]),
    );
    edit(&term, NO_TITLE_LINE, TITLE_LINE);
    browser.wait_for(
        &format!("if (window.trellisMarker || document.getElementById('trellis-overlay')) return null; {CONNECTED_BUILD}"),
        json!([]),
        "the fixed build to clear the overlay",
    );
    drop(browser);
    s.server.stop();
}
