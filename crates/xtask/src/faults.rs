//! Faults the call proxy injects, so tests meet what real networks and AWS do: throttling
//! shaped as each protocol answers it, 500/503s, connection resets, and the one that makes
//! duplicates — a request the emulator carried out whose response never arrives. Decisions
//! are deterministic by seed (per action and per call of that action). The proxy also
//! keeps AWS's client-token promise that moto does not: a repeated token gets the first
//! answer, and the request is not carried out again.

use std::collections::HashMap;
use std::sync::Mutex;

/// What the proxy does to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Answer with the protocol's throttling error without forwarding.
    Throttle,
    /// Answer 500 (internal error) without forwarding.
    InternalError,
    /// Answer 503 (unavailable) without forwarding.
    Unavailable,
    /// Reset the connection without forwarding.
    Reset,
    /// Forward, let the emulator act, then close the connection without an answer.
    LoseResponse,
    /// Forward, then send only half of the answer and close.
    TruncateResponse,
    /// Answer 403 AccessDenied without forwarding (see [`Faults::deny`]).
    Denied,
}

impl Fault {
    pub fn name(self) -> &'static str {
        match self {
            Fault::None => "",
            Fault::Throttle => "throttle",
            Fault::InternalError => "500",
            Fault::Unavailable => "503",
            Fault::Reset => "reset",
            Fault::LoseResponse => "lost-response",
            Fault::TruncateResponse => "truncated-response",
            Fault::Denied => "denied",
        }
    }
}

/// Which faults, how often, on which calls.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub seed: u64,
    /// Fraction (0..=1) of eligible calls whose response is lost after the emulator acted
    /// (half of them dropped, half truncated).
    pub lose: f64,
    /// Fractions answered with throttling, a 500, a 503, a reset, without forwarding.
    pub throttle: f64,
    pub server_error: f64,
    pub reset: f64,
    /// Faults apply to mutating calls only (reads pass), when set.
    pub mutating_only: bool,
    /// Lose the response of exactly these calls: (action, n) for the n-th call (from 1) of
    /// the action; an `action` ending in `/` names every REST action under that path (their
    /// paths carry ids).
    pub lose_nth: Vec<(String, usize)>,
    /// Forward the k-th mutating call (from 1) and then hold its answer forever, so a
    /// test can kill the client right after the emulator acted.
    pub hold_mutating: Option<usize>,
    /// Answer AccessDenied to calls of an action whose request body contains a text, as
    /// AWS answers an AssumeRole into a role that does not exist (moto lets any role be
    /// assumed): (action, text), e.g. `("AssumeRole", "111111111111")`.
    pub deny: Vec<(String, String)>,
}

impl Faults {
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Loses `fraction` of the mutating calls' responses, by `seed`.
    pub fn lost_responses(seed: u64, fraction: f64) -> Faults {
        Faults { seed, lose: fraction, mutating_only: true, ..Faults::default() }
    }

    /// Whether the call is one [`Faults::deny`] refuses.
    pub fn denies(&self, action: &str, body: &[u8]) -> bool {
        let body = String::from_utf8_lossy(body);
        self.deny.iter().any(|(a, text)| a == action && body.contains(text.as_str()))
    }

    /// The fault for the `nth` call (from 1) of `action`.
    pub fn decide(&self, action: &str, nth: usize, mutating: bool) -> Fault {
        let named = |a: &str| action == a || (a.ends_with('/') && action.starts_with(a));
        if self.lose_nth.iter().any(|(a, n)| named(a) && *n == nth) {
            return Fault::LoseResponse;
        }
        if self.mutating_only && !mutating {
            return Fault::None;
        }
        let roll = unit(self.seed, action, nth);
        let mut edge = 0.0;
        for (fraction, fault) in [
            (self.lose / 2.0, Fault::LoseResponse),
            (self.lose / 2.0, Fault::TruncateResponse),
            (self.throttle, Fault::Throttle),
            (self.server_error / 2.0, Fault::InternalError),
            (self.server_error / 2.0, Fault::Unavailable),
            (self.reset, Fault::Reset),
        ] {
            edge += fraction;
            if roll < edge {
                return fault;
            }
        }
        Fault::None
    }
}

/// A uniform number in [0, 1) from (seed, action, nth): the same run of calls gets the
/// same faults whatever order concurrent calls arrive in.
fn unit(seed: u64, action: &str, nth: usize) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in action.bytes().chain((nth as u64).to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // splitmix64 finaliser spreads the FNV state over all bits.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// The request's wire protocol, as far as error shapes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// EC2's query protocol (`Version=2016-11-15`): `<Response><Errors>`.
    Ec2Query,
    /// The other query and REST-XML protocols (IAM, STS, ELBv2, Route 53): `<ErrorResponse>`.
    Xml,
    /// JSON protocols (`X-Amz-Target`, REST-JSON): `__type`.
    Json,
}

pub fn protocol_of(head: &[String], body: &[u8]) -> Protocol {
    let header = |name: &str| {
        head.iter().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_ascii_lowercase())
        })
    };
    if header("x-amz-target").is_some() || header("content-type").is_some_and(|c| c.contains("json")) {
        return Protocol::Json;
    }
    if String::from_utf8_lossy(body).contains("Version=2016-11-15") { Protocol::Ec2Query } else { Protocol::Xml }
}

/// A complete HTTP response carrying an AWS-shaped error.
pub fn error_response(protocol: Protocol, status: u16, code: &str, message: &str) -> Vec<u8> {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let (content_type, body) = match protocol {
        Protocol::Ec2Query => (
            "text/xml;charset=UTF-8",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>"
            ),
        ),
        Protocol::Xml => (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>{}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>",
                if status >= 500 { "Receiver" } else { "Sender" }
            ),
        ),
        Protocol::Json => ("application/x-amz-json-1.1", format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}")),
    };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n").into_bytes();
    if protocol == Protocol::Json {
        out.extend_from_slice(format!("x-amzn-ErrorType: {code}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    out
}

/// The throttling answer each protocol gives.
pub fn throttle_response(protocol: Protocol) -> Vec<u8> {
    match protocol {
        Protocol::Ec2Query => error_response(protocol, 503, "RequestLimitExceeded", "Request limit exceeded."),
        Protocol::Xml => error_response(protocol, 400, "Throttling", "Rate exceeded"),
        Protocol::Json => error_response(protocol, 400, "ThrottlingException", "Rate exceeded"),
    }
}

/// The client token a request carries (`ClientToken=` in a query body, `"ClientToken"`
/// or `"IdempotencyToken"` in a JSON one).
pub fn client_token(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    if let Some(value) = text.split('&').find_map(|pair| pair.strip_prefix("ClientToken=")) {
        return Some(value.to_owned());
    }
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["ClientToken", "IdempotencyToken"].iter().find_map(|k| json.get(*k)?.as_str().map(str::to_owned))
}

/// AWS's token promise: the first successful answer per (action, token), replayed.
#[derive(Default)]
pub struct TokenCache {
    answers: Mutex<HashMap<(String, String), Vec<u8>>>,
}

impl TokenCache {
    pub fn replay(&self, action: &str, token: &str) -> Option<Vec<u8>> {
        self.answers.lock().expect("token cache").get(&(action.to_owned(), token.to_owned())).cloned()
    }

    pub fn remember(&self, action: &str, token: &str, response: &[u8]) {
        self.answers.lock().expect("token cache").entry((action.to_owned(), token.to_owned())).or_insert_with(|| response.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_deterministic_and_near_their_fractions() {
        let faults = Faults { seed: 7, lose: 0.3, ..Faults::default() };
        let lost = (1..=10_000).filter(|n| faults.decide("CreateVpc", *n, true) != Fault::None).count();
        assert!((2_700..3_300).contains(&lost), "{lost}");
        assert_eq!(faults.decide("CreateVpc", 12, true), faults.decide("CreateVpc", 12, true));
        let other_seed = Faults { seed: 8, ..faults.clone() };
        assert!((1..200).any(|n| faults.decide("CreateVpc", n, true) != other_seed.decide("CreateVpc", n, true)));
    }

    #[test]
    fn reads_pass_when_only_mutations_are_faulted_and_nth_is_exact() {
        let faults = Faults { lose: 1.0, mutating_only: true, ..Faults::default() };
        assert_eq!(faults.decide("DescribeVpcs", 1, false), Fault::None);
        assert_ne!(faults.decide("CreateVpc", 1, true), Fault::None);
        let exact = Faults { lose_nth: vec![("CreateVpc".into(), 2)], ..Faults::default() };
        assert_eq!(exact.decide("CreateVpc", 1, true), Fault::None);
        assert_eq!(exact.decide("CreateVpc", 2, true), Fault::LoseResponse);
        let rest = Faults { lose_nth: vec![("POST /2013-04-01/hostedzone/".into(), 1)], ..Faults::default() };
        assert_eq!(rest.decide("POST /2013-04-01/hostedzone/Z1/rrset", 1, true), Fault::LoseResponse);
        let route = Faults { lose_nth: vec![("CreateRoute".into(), 1)], ..Faults::default() };
        assert_eq!(route.decide("CreateRouteTable", 1, true), Fault::None, "a query action is matched by its whole name");
        assert_eq!(route.decide("CreateRoute", 1, true), Fault::LoseResponse);
    }

    #[test]
    fn errors_have_each_protocols_shape() {
        let ec2 = String::from_utf8(throttle_response(Protocol::Ec2Query)).unwrap();
        assert!(ec2.starts_with("HTTP/1.1 503") && ec2.contains("<Code>RequestLimitExceeded</Code>"));
        let iam = String::from_utf8(throttle_response(Protocol::Xml)).unwrap();
        assert!(iam.contains("<ErrorResponse>") && iam.contains("<Code>Throttling</Code>"));
        let json = String::from_utf8(throttle_response(Protocol::Json)).unwrap();
        assert!(json.contains("\"__type\":\"ThrottlingException\"") && json.contains("x-amzn-ErrorType"));
        let head = vec!["POST / HTTP/1.1".to_owned()];
        assert_eq!(protocol_of(&head, b"Action=CreateVpc&Version=2016-11-15"), Protocol::Ec2Query);
        assert_eq!(protocol_of(&head, b"Action=ListUsers&Version=2010-05-08"), Protocol::Xml);
        let head = vec!["POST / HTTP/1.1".to_owned(), "X-Amz-Target: CertificateManager.RequestCertificate".to_owned()];
        assert_eq!(protocol_of(&head, b"{}"), Protocol::Json);
    }

    #[test]
    fn tokens_come_from_query_or_json_and_the_first_answer_stays() {
        assert_eq!(client_token(b"Action=CreateNatGateway&ClientToken=abc&X=1").as_deref(), Some("abc"));
        assert_eq!(client_token(br#"{"IdempotencyToken":"t1"}"#).as_deref(), Some("t1"));
        assert_eq!(client_token(b"Action=CreateVpc"), None);
        let cache = TokenCache::default();
        cache.remember("RunInstances", "t", b"first");
        cache.remember("RunInstances", "t", b"second");
        assert_eq!(cache.replay("RunInstances", "t").unwrap(), b"first");
        assert_eq!(cache.replay("CreateNatGateway", "t"), None);
    }
}
