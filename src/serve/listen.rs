//! Accepting connections: one loop takes each connection off the listening
//! socket and gives it a thread of its own, up to [`MAX_CONNECTIONS`] at once.
//!
//! A thread per connection is what keeps one client from ever waiting on
//! another. A pool that hands out connections before their request has
//! arrived can queue a connection behind one whose client never finishes
//! asking, and that connection then waits for ever; here a connection's
//! thread is held by its own client only, and for a bounded time: the request
//! head must arrive within [`HEAD_TIMEOUT`](super::request::HEAD_TIMEOUT),
//! and every write must make progress within [`WRITE_TIMEOUT`]. The cap
//! bounds the threads a flood of connections can start; past it a connection
//! is answered 503 and closed at once. Live-reload streams move to places of
//! their own ([`MAX_STREAMS`]), so open tabs never crowd out requests. The dev server listens on loopback by
//! default, so a few hundred threads at most is a generous bound.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Connections open at once that ask for pages and files.
pub const MAX_CONNECTIONS: usize = 256;
/// Live-reload event streams open at once. A stream holds its connection for
/// as long as its page is open, so streams have a cap of their own: tabs left
/// open (or a page that opens hundreds of streams) never lock out requests.
pub const MAX_STREAMS: usize = 512;
/// How long one write may wait for a client that stopped reading.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the accept loop rests after an error such as running out of
/// file descriptors, which would otherwise repeat at once.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// What a connection past the cap hears before it is closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 18\r\nRetry-After: 1\r\nConnection: close\r\n\r\nToo many clients.\n";

/// The accept loop of a running server; it stops when [`Listener::stop`]ped.
pub(crate) struct Listener {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    /// Listens on `addr` and calls `serve` on a thread of its own for each
    /// connection that fits under the cap.
    pub fn start(
        addr: SocketAddr,
        serve: impl Fn(Connection) + Send + Sync + 'static,
    ) -> std::io::Result<Listener> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let accepting = AcceptLoop {
            listener,
            stopping: stopping.clone(),
            open: Slots::new(MAX_CONNECTIONS),
            serve: Arc::new(serve),
        };
        let thread = std::thread::Builder::new()
            .name("trellis-accept".into())
            .spawn(move || accepting.run())?;
        Ok(Listener {
            addr,
            stopping,
            thread: Some(thread),
        })
    }

    /// The address listened on, with the port picked for port 0.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and closes the listening socket before returning.
    /// Connections already accepted finish on their own threads, bounded
    /// by the timeouts.
    pub fn stop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        // The loop waits in accept(); a connection of our own wakes it to see
        // the flag. Were that to fail, joining could wait for ever, so the
        // loop is then left to end with the process.
        if TcpStream::connect_timeout(&wake_address(self.addr), Duration::from_secs(1)).is_ok() {
            let _ = thread.join();
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where to connect to reach a listener on `addr`: a listener on every
/// address is reached through loopback.
fn wake_address(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

struct AcceptLoop<F> {
    listener: TcpListener,
    stopping: Arc<AtomicBool>,
    /// Connections open now, counted by their [`Slot`]s.
    open: Slots,
    serve: Arc<F>,
}

impl<F: Fn(Connection) + Send + Sync + 'static> AcceptLoop<F> {
    fn run(self) {
        for accepted in self.listener.incoming() {
            if self.stopping.load(Ordering::SeqCst) {
                return;
            }
            let stream = match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    eprintln!("warning: the server cannot accept a connection: {e}");
                    std::thread::sleep(ACCEPT_BACKOFF);
                    continue;
                }
            };
            let Some(slot) = self.open.take() else {
                turn_away(stream);
                continue;
            };
            let serve = self.serve.clone();
            let spawned = std::thread::Builder::new()
                .name("trellis-connection".into())
                .spawn(move || {
                    if let Some(connection) = Connection::new(stream, slot) {
                        serve(connection);
                    }
                });
            // The closure, and the connection with it, is dropped: the client
            // sees the connection close.
            if let Err(e) = spawned {
                eprintln!("warning: cannot start a thread for a connection: {e}");
            }
        }
    }
}

/// Answers a connection past the cap without waiting on it: the answer fits
/// in the empty send buffer of a fresh socket. What the client already sent
/// is read first, since closing a socket with unread data resets it, and the
/// client would then lose the answer; what it sends later still does that.
fn turn_away(mut stream: TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    let _ = stream.write_all(BUSY);
    let _ = stream.shutdown(Shutdown::Write);
    let mut unread = [0u8; 4096];
    for _ in 0..4 {
        if !matches!(stream.read(&mut unread), Ok(n) if n > 0) {
            break;
        }
    }
}

/// Places for connections, up to a cap.
#[derive(Clone)]
pub(crate) struct Slots {
    open: Arc<AtomicUsize>,
    cap: usize,
}

impl Slots {
    pub fn new(cap: usize) -> Slots {
        Slots {
            open: Arc::new(AtomicUsize::new(0)),
            cap,
        }
    }

    fn take(&self) -> Option<Slot> {
        let cap = self.cap;
        let taken = self
            .open
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < cap).then_some(n + 1)
            });
        taken.ok().map(|_| Slot(self.open.clone()))
    }
}

/// One place among some [`Slots`], given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// An accepted connection. It holds its place under a cap until dropped,
/// wherever it goes: an event stream keeps one for as long as the page is
/// open, among the [`MAX_STREAMS`] after [`Connection::move_to`].
pub(crate) struct Connection {
    stream: TcpStream,
    _slot: Slot,
}

impl Connection {
    /// Readies `stream` for serving; `None` when the socket already failed.
    fn new(stream: TcpStream, slot: Slot) -> Option<Connection> {
        // An answer's head and body go in separate writes; with Nagle's
        // algorithm the body would wait for the client's delayed ACK, some
        // 40 ms on every request.
        stream.set_nodelay(true).ok()?;
        stream.set_write_timeout(Some(WRITE_TIMEOUT)).ok()?;
        Some(Connection {
            stream,
            _slot: slot,
        })
    }

    /// Moves the connection to a place among `slots`, giving back the one it
    /// held: an event stream leaves the places of page requests. False, and
    /// the connection keeps its place, when `slots` are all taken.
    pub fn move_to(&mut self, slots: &Slots) -> bool {
        match slots.take() {
            Some(slot) => {
                self._slot = slot;
                true
            }
            None => false,
        }
    }

    /// The socket, for reading the request head within its deadline.
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_out_at_the_cap_and_come_back_when_dropped() {
        let open = Slots::new(MAX_CONNECTIONS);
        let slots: Vec<Slot> = (0..MAX_CONNECTIONS)
            .map(|_| open.take().expect("a free slot"))
            .collect();
        assert!(open.take().is_none());
        drop(slots);
        assert_eq!(open.open.load(Ordering::SeqCst), 0);
        assert!(open.take().is_some());
    }

    #[test]
    fn a_listener_on_every_address_is_woken_through_loopback() {
        let any: SocketAddr = "0.0.0.0:4000".parse().unwrap();
        assert_eq!(wake_address(any), "127.0.0.1:4000".parse().unwrap());
        let v6: SocketAddr = "[::]:4000".parse().unwrap();
        assert_eq!(wake_address(v6), "[::1]:4000".parse().unwrap());
        let one: SocketAddr = "192.168.1.2:4000".parse().unwrap();
        assert_eq!(wake_address(one), one);
    }
}
