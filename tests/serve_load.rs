//! `trellis serve` under load and faults: hundreds of clients at once, clients
//! that never finish a request or never read the answer, clients that vanish
//! mid-answer or right after opening the event stream. Through all of it the
//! server keeps answering within two seconds, and once the storm is over its
//! threads and memory are back near where they started. The server runs in
//! this process, so its threads and memory are this process's own.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Barrier, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use server::ExampleServer;
use trellis::serve::{Options, MAX_CONNECTIONS, MAX_STREAMS};

/// How long a request may take while the server is under attack.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// How long the threads of clients that left may linger: a connection's
/// thread ends as soon as its client is gone, an event stream at its next
/// heartbeat (five seconds) or the one after.
const SETTLE: Duration = Duration::from_secs(12);
/// A file far larger than the socket buffers hold for a client that reads
/// nothing (a few MB on loopback), so that its answer is still being written
/// when the client stops reading or goes away.
const BIG: usize = 24 << 20;

/// One test at a time: each counts this process's threads, which another
/// test's server would change.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    // A test that failed while holding the lock leaves nothing to repair.
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// A quiet server over a copy of the example site, with a [`BIG`] file beside
/// its pages.
fn start() -> ExampleServer {
    let example = ExampleServer::start();
    let site = example.server.site_dir().expect("the example site builds");
    std::fs::write(site.join("big.json"), vec![b' '; BIG]).unwrap();
    example
}

struct Reply {
    status: u16,
    content_length: Option<usize>,
    body: Vec<u8>,
}

/// A GET over a fresh connection, read until the server closes it.
fn get(addr: SocketAddr, target: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of head"))?;
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_length = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    });
    Ok(Reply {
        status,
        content_length,
        body: bytes[split + 4..].to_vec(),
    })
}

/// The length of the body of `target`, read and dropped a piece at a time, so
/// that downloading a big file does not hold it in this process's memory.
fn download_len(addr: SocketAddr, target: &str) -> usize {
    let asked = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut piece = vec![0u8; 64 * 1024];
    let (mut total, mut head) = (0, Vec::new());
    loop {
        let n = stream.read(&mut piece).unwrap();
        if n == 0 {
            break;
        }
        if head.len() < 4096 {
            head.extend_from_slice(&piece[..n.min(4096)]);
        }
        total += n;
    }
    let took = asked.elapsed();
    assert!(took < ANSWER_WITHIN, "GET {target} took {took:?}");
    assert!(head.starts_with(b"HTTP/1.1 200 "), "GET {target}");
    let head_len = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head")
        + 4;
    total - head_len
}

/// A GET that must answer 200 within [`ANSWER_WITHIN`].
fn get_promptly(addr: SocketAddr, target: &str) -> Reply {
    let asked = Instant::now();
    let reply = get(addr, target).unwrap_or_else(|e| panic!("GET {target}: {e}"));
    let took = asked.elapsed();
    assert!(took < ANSWER_WITHIN, "GET {target} took {took:?}");
    assert_eq!(reply.status, 200, "GET {target}");
    reply
}

/// A field of `/proc/self/status`, such as `Threads` or `VmRSS` (in kB).
fn proc_status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// This process's threads once their number has held still for a second:
/// a server's connection threads linger a few seconds after their client.
fn steady_threads() -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = proc_status("Threads");
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = proc_status("Threads");
        if now == last || Instant::now() > deadline {
            return now;
        }
        last = now;
    }
}

/// Waits for this process's threads to fall to at most `limit`, and returns
/// how many there are then. Idle connection threads end a few seconds after
/// their client left, so settling takes a while.
fn threads_settle_to(limit: u64, within: Duration) -> u64 {
    let deadline = Instant::now() + within;
    loop {
        let threads = proc_status("Threads");
        if threads <= limit || Instant::now() > deadline {
            eprintln!(
                "{threads} threads, {:?} after the clients left",
                within - deadline.saturating_duration_since(Instant::now())
            );
            return threads;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn two_hundred_clients_at_once_all_get_the_whole_page() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    let expected = get_promptly(addr, "/trellis/");
    assert_eq!(expected.content_length, Some(expected.body.len()));

    let clients = 200;
    let together = Arc::new(Barrier::new(clients));
    let began = Instant::now();
    let replies: Vec<_> = (0..clients)
        .map(|_| {
            let together = together.clone();
            std::thread::spawn(move || {
                together.wait();
                get(addr, "/trellis/")
            })
        })
        .collect();
    for reply in replies {
        let reply = reply.join().expect("client thread").expect("an answer");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_length, Some(expected.body.len()));
        assert_eq!(reply.body.len(), expected.body.len());
    }
    let took = began.elapsed();
    eprintln!("{clients} concurrent GETs answered in {took:?}");
    assert!(
        took < Duration::from_secs(15),
        "{clients} GETs took {took:?}"
    );
    example.server.stop();
}

#[test]
fn clients_that_never_finish_asking_or_never_read_do_not_delay_others() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    let before = steady_threads();

    let partial: [&[u8]; 4] = [
        b"",
        b"GE",
        b"GET /trellis/ HTT",
        b"GET /trellis/ HTTP/1.1\r\nHost: local",
    ];
    // All at once: two connections that arrive within the same microseconds
    // must not end up waiting on each other.
    let together = Arc::new(Barrier::new(50));
    let slow: Vec<TcpStream> = (0..50)
        .map(|i| {
            let together = together.clone();
            std::thread::spawn(move || {
                together.wait();
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.write_all(partial[i % partial.len()]).unwrap();
                stream
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|client| client.join().expect("slow client thread"))
        .collect();
    // A dozen clients ask for a big file and read none of it: its answer
    // fills the socket buffers and stops there.
    let mut stalled = Vec::new();
    for _ in 0..12 {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET /trellis/big.json HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .peek(&mut [0u8; 1])
            .expect("the answer to a stalled client begins");
        stalled.push(stream);
    }
    for _ in 0..20 {
        let page = get_promptly(addr, "/trellis/ideas.json");
        assert_eq!(page.content_length, Some(page.body.len()));
    }

    drop(slow);
    drop(stalled);
    let settled = threads_settle_to(before + 4, SETTLE);
    assert!(
        settled <= before + 4,
        "threads: {before} before the slow clients, {settled} after they left"
    );
    get_promptly(addr, "/trellis/");
    example.server.stop();
}

#[test]
fn connections_past_the_cap_are_turned_away_at_once() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    // Idle connections fill every place; the server takes them in order.
    let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    // One more is answered 503 at once, before it has even asked.
    let mut turned_away = TcpStream::connect(addr).unwrap();
    turned_away.set_read_timeout(Some(ANSWER_WITHIN)).unwrap();
    let mut answer = String::new();
    turned_away
        .read_to_string(&mut answer)
        .expect("an answer and a close");
    assert!(
        answer.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{answer}"
    );
    // Places come back as soon as their clients leave.
    drop(idle);
    let deadline = Instant::now() + ANSWER_WITHIN;
    while get(addr, "/trellis/").map(|r| r.status).ok() != Some(200) {
        assert!(Instant::now() < deadline, "the places never came back");
        std::thread::sleep(Duration::from_millis(20));
    }
    example.server.stop();
}

#[test]
fn clients_that_vanish_mid_answer_leave_no_threads_or_memory_behind() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    // Warm up: the first answers allocate what every later one reuses.
    for _ in 0..3 {
        assert_eq!(download_len(addr, "/trellis/big.json"), BIG);
        get_promptly(addr, "/trellis/");
    }
    let threads_before = steady_threads();
    let rss_before = proc_status("VmRSS");

    let rounds = 30;
    let storm: Vec<_> = (0..10)
        .map(|_| {
            std::thread::spawn(move || {
                for _ in 0..rounds {
                    // A big answer, abandoned after its first bytes.
                    let mut stream = TcpStream::connect(addr).unwrap();
                    write!(
                        stream,
                        "GET /trellis/big.json HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    )
                    .unwrap();
                    let mut first = [0u8; 64];
                    stream.read_exact(&mut first).unwrap();
                    drop(stream);
                    // An event stream, left as soon as it opens.
                    let mut stream = TcpStream::connect(addr).unwrap();
                    write!(
                        stream,
                        "GET /trellis/__trellis/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
                    )
                    .unwrap();
                    stream.read_exact(&mut first[..8]).unwrap();
                    drop(stream);
                    // An event stream left before it even opened.
                    let mut stream = TcpStream::connect(addr).unwrap();
                    write!(stream, "GET /trellis/__trellis/events HTTP/1.1\r\n\r\n").unwrap();
                    drop(stream);
                }
            })
        })
        .collect();
    let storm_began = Instant::now();
    while storm.iter().any(|t| !t.is_finished()) {
        get_promptly(addr, "/trellis/");
        std::thread::sleep(Duration::from_millis(50));
    }
    for thread in storm {
        thread.join().expect("storm thread");
    }
    eprintln!(
        "{} abandoned answers and {} abandoned event streams in {:?}",
        10 * rounds,
        2 * 10 * rounds,
        storm_began.elapsed()
    );
    assert_eq!(download_len(addr, "/trellis/big.json"), BIG);

    let threads_after = threads_settle_to(threads_before + 4, SETTLE);
    let rss_after = proc_status("VmRSS");
    eprintln!("threads {threads_before} → {threads_after}, RSS {rss_before} kB → {rss_after} kB");
    assert!(
        threads_after <= threads_before + 4,
        "threads: {threads_before} before the storm, {threads_after} after"
    );
    assert!(
        rss_after < rss_before + 50 * 1024,
        "RSS grew from {rss_before} kB to {rss_after} kB"
    );
    example.server.stop();
}

#[test]
fn server_listens_on_loopback_only_by_default() {
    let _serial = one_at_a_time();
    assert_eq!(Options::default().bind, IpAddr::V4(Ipv4Addr::LOCALHOST));
    let example = start();
    let addr = example.server.addr();
    assert_eq!(addr.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    // Bound to 0.0.0.0, the server would answer on every address of the
    // machine, 127.0.0.2 included; bound to 127.0.0.1, it answers there only.
    assert!(TcpStream::connect((Ipv4Addr::new(127, 0, 0, 2), addr.port())).is_err());
    example.server.stop();
}

/// A `trellis serve` process, killed when dropped (if [`Serving::interrupt`]
/// did not stop it first).
struct Serving(Child);

impl Serving {
    /// Stops the server as Ctrl-C does; true when it exited within 10 s.
    fn interrupt(&mut self) -> bool {
        let sent = std::process::Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        while sent && Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The build directories a `trellis serve` process of id `pid` left in the
/// places it builds into.
fn session_dirs_of(pid: u32) -> Vec<std::path::PathBuf> {
    let prefix = format!("trellis-serve-{pid}-");
    [std::path::PathBuf::from("/dev/shm"), std::env::temp_dir()]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

#[test]
fn serve_command_listens_on_loopback_unless_told_otherwise() {
    let _serial = one_at_a_time();
    let help = cli::command()
        .args(["serve", "--help"])
        .output()
        .expect("the trellis binary runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--bind"), "{help}");
    assert!(help.contains("[default: 127.0.0.1]"), "{help}");

    let tmp = tempfile::tempdir().expect("temp dir");
    let root = site::example_copy(tmp.path());
    let child = cli::command()
        .args(["serve", "--port", "0", "--quiet"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut serving = Serving(child);
    let stdout = serving.0.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server says where it listens");
    let url = line
        .trim()
        .strip_prefix("Serving the site at http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    let addr: SocketAddr = url.split('/').next().unwrap().parse().unwrap();
    assert_eq!(addr.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST), "{line}");
    assert_eq!(get_promptly(addr, "/trellis/").status, 200);
    assert!(TcpStream::connect((Ipv4Addr::new(127, 0, 0, 2), addr.port())).is_err());
    let pid = serving.0.id();
    assert!(
        !session_dirs_of(pid).is_empty(),
        "the server builds in a session directory"
    );
    assert!(serving.interrupt(), "Ctrl-C stops the server");
    assert_eq!(
        session_dirs_of(pid),
        Vec::<std::path::PathBuf>::new(),
        "removed on Ctrl-C"
    );
}

/// Opens a live-reload stream and reads until its greeting arrived, so the
/// server holds it open when this returns.
fn open_stream(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /trellis/__trellis/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut piece = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains("event: hello") {
        let n = stream.read(&mut piece).unwrap();
        assert!(
            n > 0,
            "the stream closed: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&piece[..n]);
    }
    assert!(seen.starts_with(b"HTTP/1.1 200 OK\r\n"));
    stream
}

#[test]
fn three_hundred_idle_live_reload_streams_do_not_lock_out_requests() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    let streams: Vec<TcpStream> = (0..300).map(|_| open_stream(addr)).collect();
    // More open pages than places for requests, and requests still get in.
    assert!(streams.len() > MAX_CONNECTIONS);
    for _ in 0..20 {
        get_promptly(addr, "/trellis/");
    }
    assert_eq!(download_len(addr, "/trellis/big.json"), BIG);
    // Streams have a cap of their own too: past it a page hears 503.
    let more: Vec<TcpStream> = (streams.len()..MAX_STREAMS)
        .map(|_| open_stream(addr))
        .collect();
    let reply = get(addr, "/trellis/__trellis/events").unwrap();
    assert_eq!(reply.status, 503);
    get_promptly(addr, "/trellis/");
    drop((streams, more));
    example.server.stop();
}

#[test]
fn requests_naming_another_host_are_refused() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    let ask = |host: &str| {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(ANSWER_WITHIN)).unwrap();
        write!(
            stream,
            "GET /trellis/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    // A DNS-rebinding page sends its own name.
    for host in ["evil.example", &format!("evil.example:{}", addr.port())] {
        let answer = ask(host);
        assert!(
            answer.starts_with("HTTP/1.1 421 Misdirected Request\r\n"),
            "{host}: {answer}"
        );
        assert!(!answer.contains("<html"), "{host}: no page: {answer}");
    }
    for host in [
        "localhost".to_string(),
        format!("localhost:{}", addr.port()),
        addr.to_string(),
        format!("[::1]:{}", addr.port()),
    ] {
        let answer = ask(&host);
        assert!(
            answer.starts_with("HTTP/1.1 200 OK\r\n"),
            "{host}: {answer}"
        );
    }
    example.server.stop();
}

#[test]
fn slow_clients_of_a_big_page_share_one_copy() {
    let _serial = one_at_a_time();
    let example = start();
    let addr = example.server.addr();
    let site = example.server.site_dir().unwrap();
    let page_size = 16 << 20;
    let mut page = b"<!doctype html><html><body><p>".to_vec();
    page.resize(page_size, b'x');
    page.extend_from_slice(b"</p></body></html>");
    std::fs::write(site.join("big.html"), &page).unwrap();
    assert!(download_len(addr, "/trellis/big.html") > page_size);
    let rss_before = proc_status("VmRSS");
    // Clients that ask and then never read: their answers stay in memory.
    let clients: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(
                stream,
                "GET /trellis/big.html HTTP/1.1\r\nHost: localhost\r\n\r\n"
            )
            .unwrap();
            stream
        })
        .collect();
    // Every client's answer is started: the first bytes of each arrive.
    for mut client in &clients {
        let mut first = [0u8; 16];
        client.read_exact(&mut first).unwrap();
    }
    std::thread::sleep(Duration::from_millis(300));
    let grown_kb = proc_status("VmRSS").saturating_sub(rss_before);
    eprintln!("40 slow clients of a 16 MB page: memory grew by {grown_kb} kB");
    assert!(
        grown_kb < 3 * (page_size as u64 >> 10),
        "memory grew by {grown_kb} kB: a copy per client"
    );
    get_promptly(addr, "/trellis/");
    drop(clients);
    example.server.stop();
}
