//! A loopback HTTP proxy in front of the AWS emulator that logs every API call (its
//! action, start and end) and can add a fixed delay per call while letting calls overlap,
//! as real AWS does. The end-to-end tests use it to prove a dry run makes no mutating call;
//! the benchmark uses it to count calls and to stand in for AWS's latency. With `Faults`
//! (see `faults`) it also throttles, fails, resets and loses responses, and replays a
//! repeated client token's first answer as AWS does.

use crate::faults::{Fault, Faults, TokenCache, client_token, error_response, protocol_of, throttle_response};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One API call as the proxy saw it.
#[derive(Clone, Debug)]
pub struct Call {
    /// The API action: `CreateVpc`, `GetParameter`, ...
    pub action: String,
    /// When the request arrived and when its response was sent, from the proxy's start.
    pub start: Duration,
    pub end: Duration,
    /// The time the emulator took to answer (without the added delay).
    pub upstream: Duration,
    pub status: u16,
    /// The fault injected into this call (`""` for none): `lost-response`, `throttle`, ...
    pub fault: &'static str,
}

impl Call {
    /// Whether the action only reads: `Describe*`, `Get*`, `List*`.
    pub fn is_read_only(&self) -> bool {
        is_read_only(&self.action)
    }
}

pub fn is_read_only(action: &str) -> bool {
    ["Describe", "Get", "List", "GET ", "HEAD "].iter().any(|p| action.starts_with(p))
}

/// A running proxy; stops accepting when dropped.
pub struct CallProxy {
    addr: SocketAddr,
    calls: Arc<Mutex<Vec<Call>>>,
    stop: Arc<AtomicBool>,
    shared: Arc<Shared>,
}

/// What the connection threads share besides the call log.
struct Shared {
    faults: Faults,
    tokens: TokenCache,
    /// Calls seen per action, and mutating calls in all, for the fault decisions.
    seen: Mutex<HashMap<String, usize>>,
    mutating: AtomicUsize,
    /// Set once the call chosen by `hold_mutating` has reached the emulator.
    held: AtomicBool,
}

impl CallProxy {
    /// Listens on a free loopback port and forwards to `upstream` (a loopback address),
    /// waiting `delay` before forwarding each request.
    pub fn start(upstream: SocketAddr, delay: Duration) -> std::io::Result<CallProxy> {
        Self::start_with(upstream, delay, Faults::none())
    }

    /// As `start`, injecting `faults`.
    pub fn start_with(upstream: SocketAddr, delay: Duration, faults: Faults) -> std::io::Result<CallProxy> {
        assert!(upstream.ip().is_loopback(), "the call proxy forwards to loopback only");
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let calls = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let epoch = Instant::now();
        let shared = Arc::new(Shared {
            faults,
            tokens: TokenCache::default(),
            seen: Mutex::new(HashMap::new()),
            mutating: AtomicUsize::new(0),
            held: AtomicBool::new(false),
        });
        let threads = (calls.clone(), stop.clone(), shared.clone());
        std::thread::spawn(move || {
            let (calls, stop, shared) = threads;
            for conn in listener.incoming() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (calls, shared, stop) = (calls.clone(), shared.clone(), stop.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, upstream, delay, epoch, &calls, &shared, &stop);
                });
            }
        });
        Ok(CallProxy { addr, calls, stop, shared })
    }

    /// Whether the call chosen by `Faults::hold_mutating` has reached the emulator.
    pub fn holding(&self) -> bool {
        self.shared.held.load(Ordering::SeqCst)
    }

    /// The calls that got a fault.
    pub fn faulted(&self) -> Vec<Call> {
        self.calls().into_iter().filter(|c| !c.fault.is_empty()).collect()
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The calls so far, in the order their requests arrived.
    pub fn calls(&self) -> Vec<Call> {
        let mut calls = self.calls.lock().expect("call log").clone();
        calls.sort_by_key(|c| c.start);
        calls
    }

    /// Forgets the calls so far.
    pub fn clear(&self) {
        self.calls.lock().expect("call log").clear();
    }
}

impl Drop for CallProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

struct Request {
    head: Vec<String>,
    body: Vec<u8>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            if head.is_empty() {
                continue;
            }
            break;
        }
        head.push(line);
    }
    let length = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Some(Request { head, body }))
}

fn header<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head.iter().skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The API action of a request: `Action=` in a query-protocol form body (EC2, IAM, ...),
/// the `X-Amz-Target` header of a JSON-protocol one (SSM, ACM, ...), or for REST
/// protocols (Route 53, S3, CloudFront) the method and path, e.g. `POST /2013-04-01/hostedzone/Z1/rrset/`.
pub fn action_of(head: &[String], body: &[u8]) -> String {
    if let Some(target) = header(head, "x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_owned();
    }
    let text = String::from_utf8_lossy(body);
    let query = head.first().and_then(|l| l.split_whitespace().nth(1)).and_then(|p| p.split_once('?')).map(|(_, q)| q).unwrap_or("");
    text.split('&').chain(query.split('&')).find_map(|pair| pair.strip_prefix("Action=")).map(str::to_owned).unwrap_or_else(|| {
        let line = head.first().map(String::as_str).unwrap_or_default();
        let mut parts = line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        format!("{method} {}", path.split('?').next().unwrap_or_default())
    })
}

fn serve(
    conn: TcpStream,
    upstream: SocketAddr,
    delay: Duration,
    epoch: Instant,
    calls: &Mutex<Vec<Call>>,
    shared: &Shared,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut writer = conn;
    while let Some(request) = read_request(&mut reader)? {
        let start = epoch.elapsed();
        let action = action_of(&request.head, &request.body);
        let mutating = !is_read_only(&action);
        let nth = {
            let mut seen = shared.seen.lock().expect("seen");
            let n = seen.entry(action.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let mutating_nth = if mutating { shared.mutating.fetch_add(1, Ordering::SeqCst) + 1 } else { 0 };
        let fault = if shared.faults.denies(&action, &request.body) { Fault::Denied } else { shared.faults.decide(&action, nth, mutating) };
        let protocol = protocol_of(&request.head, &request.body);
        let token = client_token(&request.body);
        let log = |status: u16, upstream: Duration, fault: Fault| {
            calls.lock().expect("call log").push(Call {
                action: action.clone(),
                start,
                end: epoch.elapsed(),
                upstream,
                status,
                fault: fault.name(),
            });
        };
        std::thread::sleep(delay);
        // Faults that answer before the emulator sees the request.
        let refusal = match fault {
            Fault::Throttle => Some(throttle_response(protocol)),
            Fault::InternalError => Some(error_response(protocol, 500, "InternalError", "An internal error has occurred")),
            Fault::Unavailable => Some(error_response(protocol, 503, "Unavailable", "The service is unavailable")),
            Fault::Denied => Some(error_response(protocol, 403, "AccessDenied", &format!("User is not authorized to perform: {action}"))),
            _ => None,
        };
        if let Some(bytes) = refusal {
            let status = bytes.get(9..12).and_then(|s| std::str::from_utf8(s).ok()).and_then(|s| s.parse().ok()).unwrap_or(500);
            log(status, Duration::ZERO, fault);
            writer.write_all(&bytes)?;
            writer.flush()?;
            continue;
        }
        if fault == Fault::Reset {
            log(0, Duration::ZERO, fault);
            reset(&writer);
            break;
        }
        // AWS's promise that moto does not keep: a repeated client token gets the first
        // answer and is not carried out again.
        let replay = token.as_deref().and_then(|t| shared.tokens.replay(&action, t));
        let sent = Instant::now();
        let response = match replay {
            Some(first) => first,
            None => forward(&request, upstream)?,
        };
        let upstream_time = sent.elapsed();
        let (status, keep_alive, bytes) = rewrite_response(&response);
        if let Some(t) = token.as_deref().filter(|_| (200..300).contains(&status)) {
            shared.tokens.remember(&action, t, &response);
        }
        if shared.faults.hold_mutating.is_some_and(|k| k == mutating_nth) {
            log(status, upstream_time, fault);
            shared.held.store(true, Ordering::SeqCst);
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
            }
            break;
        }
        // Logged before the client has its answer: once a command has exited, every call it
        // made is in the log (logging after the write raced with the test reading the log).
        log(status, upstream_time, fault);
        match fault {
            Fault::LoseResponse => {
                reset(&writer);
                break;
            }
            Fault::TruncateResponse => {
                writer.write_all(&bytes[..bytes.len() / 2])?;
                writer.flush()?;
                reset(&writer);
                break;
            }
            _ => {}
        }
        writer.write_all(&bytes)?;
        writer.flush()?;
        if !keep_alive {
            let _ = writer.shutdown(Shutdown::Both);
            break;
        }
    }
    Ok(())
}

/// Closes with a TCP reset (linger 0), as a dropped connection looks to the client.
fn reset(conn: &TcpStream) {
    let _ = rustix::net::sockopt::set_socket_linger(conn, Some(Duration::ZERO));
    let _ = conn.shutdown(Shutdown::Both);
}

/// Sends one request on a fresh upstream connection and reads the response to its end.
fn forward(request: &Request, upstream: SocketAddr) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(upstream)?;
    let mut out = Vec::with_capacity(request.body.len() + 512);
    for line in &request.head {
        let name = line.split_once(':').map(|(k, _)| k.trim().to_ascii_lowercase());
        if matches!(name.as_deref(), Some("connection" | "keep-alive")) {
            continue;
        }
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out.extend_from_slice(&request.body);
    up.write_all(&out)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    Ok(response)
}

/// The status, whether the client connection can stay open, and the bytes to send back:
/// the upstream response without its `Connection: close`, framed by Content-Length.
fn rewrite_response(response: &[u8]) -> (u16, bool, Vec<u8>) {
    let Some(split) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (502, false, b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec());
    };
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let body = &response[split + 4..];
    let lines: Vec<String> = head.split("\r\n").map(str::to_owned).collect();
    let status = lines.first().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(502);
    if header(&lines, "transfer-encoding").is_some() {
        // Chunked: pass through untouched and close afterwards.
        return (status, false, response.to_vec());
    }
    let mut out = Vec::with_capacity(response.len() + 32);
    for line in &lines {
        let name = line.split_once(':').map(|(k, _)| k.trim().to_ascii_lowercase());
        if matches!(name.as_deref(), Some("connection" | "keep-alive" | "content-length")) {
            continue;
        }
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    (status, true, out)
}

/// The longest chain of calls each of which started after the previous one ended: the
/// number of sequential round trips a run really made.
pub fn longest_chain(calls: &[Call]) -> usize {
    let mut sorted: Vec<&Call> = calls.iter().collect();
    sorted.sort_by_key(|c| c.start);
    let mut depth = vec![1usize; sorted.len()];
    for i in 0..sorted.len() {
        for j in 0..i {
            if sorted[j].end <= sorted[i].start {
                depth[i] = depth[i].max(depth[j] + 1);
            }
        }
    }
    depth.into_iter().max().unwrap_or(0)
}

/// How long the emulator had at least one request in hand (the union of the calls'
/// answer intervals): close to a run's wall time when the emulator, not the client, set the pace.
pub fn emulator_in_use(calls: &[Call]) -> Duration {
    let mut spans: Vec<(Duration, Duration)> = calls.iter().map(|c| (c.end.saturating_sub(c.upstream), c.end)).collect();
    spans.sort();
    let mut total = Duration::ZERO;
    let mut current: Option<(Duration, Duration)> = None;
    for (from, to) in spans {
        current = match current {
            Some((a, b)) if from <= b => Some((a, b.max(to))),
            Some((a, b)) => {
                total += b - a;
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    total + current.map(|(a, b)| b - a).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn in_use_is_the_union_of_answer_intervals() {
        let ms = std::time::Duration::from_millis;
        let call = |end: u64, upstream: u64| super::Call {
            action: "A".into(),
            start: ms(0),
            end: ms(end),
            upstream: ms(upstream),
            status: 200,
            fault: "",
        };
        // [0,10] and [5,15] overlap, [20,30] stands apart: 15 + 10.
        assert_eq!(super::emulator_in_use(&[call(10, 10), call(15, 10), call(30, 10)]), ms(25));
        assert_eq!(super::emulator_in_use(&[]), ms(0));
    }

    use super::*;

    fn call(start: u64, end: u64) -> Call {
        Call {
            action: "X".into(),
            start: Duration::from_millis(start),
            end: Duration::from_millis(end),
            upstream: Duration::ZERO,
            status: 200,
            fault: "",
        }
    }

    #[test]
    fn actions_come_from_the_form_body_or_the_target_header() {
        let head = vec!["POST / HTTP/1.1".to_owned(), "Host: x".to_owned()];
        assert_eq!(action_of(&head, b"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"), "CreateVpc");
        let head = vec!["POST / HTTP/1.1".to_owned(), "X-Amz-Target: AmazonSSM.GetParameter".to_owned()];
        assert_eq!(action_of(&head, b"{}"), "GetParameter");
        assert!(is_read_only("DescribeVpcs") && !is_read_only("CreateVpc") && !is_read_only("ModifyVpcAttribute"));
        let head = vec!["POST /2013-04-01/hostedzone/Z1/rrset/?x=1 HTTP/1.1".to_owned()];
        assert_eq!(action_of(&head, b"<xml/>"), "POST /2013-04-01/hostedzone/Z1/rrset/");
        assert!(!is_read_only("POST /2013-04-01/hostedzone/Z1/rrset/") && is_read_only("GET /2013-04-01/change/C1"));
    }

    #[test]
    fn the_chain_counts_sequential_round_trips_not_overlapping_ones() {
        assert_eq!(longest_chain(&[]), 0);
        assert_eq!(longest_chain(&[call(0, 100), call(10, 110), call(20, 120)]), 1);
        assert_eq!(longest_chain(&[call(0, 100), call(100, 200), call(150, 250), call(250, 350)]), 3);
    }

    #[test]
    fn responses_are_reframed_for_keep_alive() {
        let (status, keep, bytes) = rewrite_response(b"HTTP/1.1 200 OK\r\nConnection: close\r\nServer: x\r\n\r\nhello");
        assert_eq!((status, keep), (200, true));
        assert_eq!(String::from_utf8(bytes).unwrap(), "HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 5\r\n\r\nhello");
        let (_, keep, _) = rewrite_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assert!(!keep);
    }
}
