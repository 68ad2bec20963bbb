//! Reading a request's head: the request line and headers, within a deadline
//! and a size limit, so that a client that never finishes asking is dropped
//! instead of holding its connection's thread for good.
//!
//! The dev server answers `GET` and `HEAD` only and never reads a body, so the
//! head is all it needs. Parsing is a pure function over the bytes, tested
//! without a socket.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long a client has to send its whole request head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// A head longer than this is refused. Browsers send a few hundred bytes plus
/// cookies, and localhost collects the cookies of every dev server run on it.
pub(crate) const MAX_HEAD: usize = 64 * 1024;

/// A request as far as the dev server reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// Case-sensitive, as HTTP methods are: `GET`, `HEAD`, ...
    pub method: String,
    /// The request target as sent: path and query, not decoded.
    pub target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    /// The value of the first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request came.
#[derive(Debug)]
pub(crate) enum HeadError {
    /// The client closed the connection, went quiet past the deadline, or
    /// the connection failed: there is no one to answer.
    Gone,
    /// The head is longer than [`MAX_HEAD`].
    TooLarge,
    /// The head is not HTTP/1.x.
    Malformed,
}

/// Reads one request head from `stream`, which must arrive whole within
/// [`HEAD_TIMEOUT`]: a timeout per read alone would let a client that sends a
/// byte now and then hold on for ever. Bytes after the head (a body, a
/// pipelined request) are not looked at: every answer closes the connection.
pub(crate) fn read_head(mut stream: &TcpStream) -> Result<Request, HeadError> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        // `set_read_timeout` refuses a zero duration.
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(HeadError::Gone);
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(HeadError::Gone),
        };
        head.extend_from_slice(&chunk[..n]);
        match parse(&head) {
            Ok(Some(request)) => return Ok(request),
            Ok(None) if head.len() > MAX_HEAD => return Err(HeadError::TooLarge),
            Ok(None) => {}
            Err(()) => return Err(HeadError::Malformed),
        }
    }
}

/// Most headers a request may have: browsers send about fifteen.
const MAX_HEADERS: usize = 64;

/// Parses the head at the start of `bytes` with httparse: the request if it is
/// whole, `None` if more is to come, an error if it is not HTTP/1.x (or has
/// more than [`MAX_HEADERS`] headers, or a name or value that is not UTF-8).
pub(crate) fn parse(bytes: &[u8]) -> Result<Option<Request>, ()> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(()),
    }
    let headers = parsed
        .headers
        .iter()
        .map(|h| {
            Ok((
                h.name.to_string(),
                std::str::from_utf8(h.value)
                    .map_err(|_| ())?
                    .trim()
                    .to_string(),
            ))
        })
        .collect::<Result<_, ()>>()?;
    Ok(Some(Request {
        // A complete parse has both.
        method: parsed.method.ok_or(())?.to_string(),
        target: parsed.path.ok_or(())?.to_string(),
        headers,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_request_is_read_with_its_headers() {
        let head =
            b"GET /t/a%20b.html?x=1 HTTP/1.1\r\nHost: localhost\r\nIf-None-Match:  \"a\" \r\n\r\n";
        let request = parse(head).expect("a valid head").expect("a whole head");
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/t/a%20b.html?x=1");
        assert_eq!(request.header("if-none-match"), Some("\"a\""));
        assert_eq!(request.header("Host"), Some("localhost"));
        assert_eq!(request.header("Cookie"), None);
    }

    #[test]
    fn heads_that_are_not_http_1_are_refused() {
        for head in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/2\r\n\r\n",
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: \xff\r\n\r\n",
        ] {
            assert!(parse(head).is_err(), "{}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn a_head_without_its_blank_line_is_not_whole_yet() {
        assert_eq!(parse(b"GET / HTTP/1.1\r\nA: b\r\n"), Ok(None));
        assert!(parse(b"GET / HTTP/1.1\nA: b\n\nbody").unwrap().is_some());
    }

    #[test]
    fn a_head_that_arrives_in_pieces_is_read_whole() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            for piece in [&b"GET /a HTTP/1.1\r\nHost: x\r"[..], b"\n\r", b"\nbody"] {
                std::io::Write::write_all(&mut stream, piece).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            stream
        });
        let (server, _) = listener.accept().unwrap();
        let request = read_head(&server).expect("a whole head");
        assert_eq!(request.target, "/a");
        assert_eq!(request.header("host"), Some("x"));
        drop(client.join().unwrap());
    }
}
