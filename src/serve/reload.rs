//! Telling open pages that the site changed, over Server-Sent Events.
//!
//! Each stream writes its own HTTP/1.1 header on the page's connection and
//! flushes after every event, so that a small event is never held back in a
//! buffer. Each open page keeps its connection's thread, waiting on a channel:
//! a stalled browser then delays only itself. A comment line every
//! [`HEARTBEAT`] notices closed pages: the connection is only written to, so a
//! write is the one way to learn that the page went away, and the first write
//! after that may still succeed. A page that closed thus frees its thread
//! within two heartbeats.
//!
//! Events: `hello` (on connect, with the build the server holds), `reload`
//! (a new build is in place), `css` (only stylesheets changed: swap them
//! without a reload) and `error` (a rebuild failed: JSON diagnostics for the
//! overlay). Each names the build, so a page that missed one can tell.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use super::Served;

/// The script injected into every HTML page in serve mode.
pub const SCRIPT: &str = include_str!("reload.js");

/// How often an idle stream sends a comment line. Short, because it bounds
/// how long a closed page holds a thread; a few bytes every few seconds to
/// each open page cost nothing.
pub const HEARTBEAT: Duration = Duration::from_secs(5);

/// The open event streams, and what a new one is told first.
pub(crate) struct Reload {
    clients: Mutex<Vec<Client>>,
    served: Arc<RwLock<Arc<Served>>>,
}

/// One open page: where its events go, and the thread that writes them.
struct Client {
    events: Sender<Arc<str>>,
    thread: JoinHandle<()>,
}

impl Reload {
    pub fn new(served: Arc<RwLock<Arc<Served>>>) -> Reload {
        Reload {
            clients: Mutex::new(Vec::new()),
            served,
        }
    }

    /// Turns a request's connection into an event stream. The greeting is read
    /// under the same lock that [`Reload::broadcast`] takes, after the served
    /// site was swapped: a page connecting during a rebuild either greets the
    /// new build or receives its event, never neither. Streams whose page went
    /// away are forgotten here too, so pages that come and go between two
    /// rebuilds do not pile up.
    pub fn subscribe(&self, writer: Box<dyn Write + Send>) {
        let (tx, rx) = mpsc::channel::<Arc<str>>();
        let mut clients = lock(&self.clients);
        clients.retain(|c| !c.thread.is_finished());
        let greeting = greeting(&current(&self.served));
        let spawned = std::thread::Builder::new()
            .name("trellis-events".into())
            .spawn(move || stream(writer, &greeting, &rx));
        match spawned {
            Ok(thread) => clients.push(Client { events: tx, thread }),
            Err(e) => eprintln!("warning: cannot start an event stream: {e}"),
        }
    }

    /// Sends `event` to every open page, forgetting pages that closed.
    pub fn broadcast(&self, event: &str) {
        let event: Arc<str> = Arc::from(event);
        lock(&self.clients).retain(|c| c.events.send(event.clone()).is_ok());
    }

    /// Ends every stream; their threads finish and drop the connections.
    pub fn close(&self) {
        lock(&self.clients).clear();
    }
}

/// One page's stream: the head and greeting, then each event or a heartbeat,
/// until a write fails or the server closes the stream.
fn stream(mut writer: Box<dyn Write + Send>, greeting: &str, rx: &Receiver<Arc<str>>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";
    if send(&mut writer, head).is_err() || send(&mut writer, greeting).is_err() {
        return;
    }
    loop {
        let sent = match rx.recv_timeout(HEARTBEAT) {
            Ok(event) => send(&mut writer, &event),
            Err(RecvTimeoutError::Timeout) => send(&mut writer, ": heartbeat\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if sent.is_err() {
            return;
        }
    }
}

fn send(writer: &mut Box<dyn Write + Send>, text: &str) -> std::io::Result<()> {
    writer.write_all(text.as_bytes())?;
    writer.flush()
}

/// A poisoned lock only means a thread panicked mid-push; the list is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn current(served: &RwLock<Arc<Served>>) -> Arc<Served> {
    served.read().unwrap_or_else(|p| p.into_inner()).clone()
}

/// What a new stream hears first: the build it is on and, while the last
/// rebuild failed, that failure, so a page opened during an error shows it.
fn greeting(served: &Served) -> String {
    let mut out = event("hello", &build_json(&served.build));
    if !served.failures.is_empty() {
        out.push_str(&error_event(served));
    }
    out
}

pub(crate) fn build_json(build: &str) -> String {
    serde_json::json!({ "build": build }).to_string()
}

/// The `error` event of a failed rebuild, with its diagnostics as JSON.
pub(crate) fn error_event(served: &Served) -> String {
    let data = serde_json::json!({
        "build": served.build,
        "diagnostics": served.failures,
        "last_good_served": served.site.is_some(),
    });
    event("error", &data.to_string())
}

/// One event in the wire format: a line per data line, then a blank line.
pub fn event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The `<script>` injected before `</body>`: it names the build the page came
/// from, so a page whose build was replaced before its stream opened reloads.
pub(crate) fn script_tag(served: &Served) -> String {
    format!(
        "<script src=\"{}__trellis/reload.js?build={}\"></script>",
        crate::util::escape::html(&served.base),
        crate::util::escape::html(&served.build)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_tag_escapes_the_base_path() {
        let served = Served {
            base: "/a\"><script>alert(1)</script>/".into(),
            site: None,
            build: "b-1".into(),
            failures: Vec::new(),
        };
        let tag = script_tag(&served);
        assert_eq!(
            tag,
            "<script src=\"/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/__trellis/reload.js?build=b-1\"></script>"
        );
    }

    #[test]
    fn multi_line_data_becomes_one_data_line_each() {
        assert_eq!(event("reload", "{}"), "event: reload\ndata: {}\n\n");
        assert_eq!(event("x", "a\nb"), "event: x\ndata: a\ndata: b\n\n");
    }

    fn reload() -> Reload {
        Reload::new(Arc::new(RwLock::new(Arc::new(Served {
            base: "/".into(),
            site: None,
            build: "1".into(),
            failures: Vec::new(),
        }))))
    }

    /// A connection whose page has gone: every write fails.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn closed_pages_are_forgotten_on_broadcast() {
        let reload = reload();
        let (open, open_rx) = mpsc::channel();
        let (closed, closed_rx) = mpsc::channel();
        drop(closed_rx);
        lock(&reload.clients).extend([open, closed].map(|events| Client {
            events,
            thread: std::thread::spawn(|| ()),
        }));
        reload.broadcast("event: reload\n\n");
        assert_eq!(lock(&reload.clients).len(), 1);
        assert_eq!(&*open_rx.recv().unwrap(), "event: reload\n\n");
    }

    #[test]
    fn streams_of_closed_pages_end_and_are_forgotten_on_the_next_subscribe() {
        let reload = reload();
        reload.subscribe(Box::new(Gone));
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !lock(&reload.clients)[0].thread.is_finished() {
            assert!(
                std::time::Instant::now() < deadline,
                "the stream never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        reload.subscribe(Box::new(Gone));
        assert_eq!(
            lock(&reload.clients).len(),
            1,
            "only the new stream is kept"
        );
    }
}
