//! Webhook delivery from a sandbox to a receiver: one minimal HTTP/1.1 POST over a std `TcpStream`, shared by
//! every vendor's sandbox (each names its user agent and adds its own headers, such as a signature).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// POSTs `body` as JSON to `url` (`http://` only, `Connection: close`) with `headers` added; returns the
/// response's status code.
pub(crate) fn post_json(url: &str, user_agent: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<u16> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("webhook URL: {what}"));
    let parsed = url::Url::parse(url).map_err(|_| invalid("not a valid URL"))?;
    if parsed.scheme() != "http" {
        return Err(invalid("only http:// is supported"));
    }
    let host = parsed.host_str().ok_or_else(|| invalid("no host"))?;
    let port = parsed.port_or_known_default().unwrap_or(80);
    let target = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_owned(),
    };
    let mut stream = TcpStream::connect((host, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!(
        "POST {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: {user_agent}\r\n\
         Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                response.extend_from_slice(&buf[..n]);
                if response.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let text = String::from_utf8_lossy(&response);
    text.lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no HTTP status line in the webhook response"))
}
