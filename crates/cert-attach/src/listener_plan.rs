//! What a load balancer's listeners need so that the certificate serves HTTPS: a new
//! HTTPS:443 listener forwarding where HTTP forwards (or to a given target group), or the
//! certificate added to an HTTPS listener that exists (SNI, never replacing its
//! certificates), then optionally port 80 turned into a 301 to HTTPS. Pure: it takes the
//! listeners as described and returns the steps, so re-planning after the steps is empty.

use awsops_core::{Error, Result};
use serde::Serialize;

pub const HTTPS_PORT: i32 = 443;
pub const HTTP_PORT: i32 = 80;

/// A listener's default action, as far as this plan cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Action {
    /// To one or more target groups (ARN, weight when weighted).
    Forward {
        target_groups: Vec<(String, Option<i32>)>,
    },
    Redirect {
        protocol: String,
        port: String,
        status: String,
    },
    /// Fixed responses, Cognito/OIDC authentication, ...: left as they are.
    Other {
        kind: String,
    },
}

impl Action {
    pub fn https_redirect() -> Action {
        Action::Redirect { protocol: "HTTPS".into(), port: HTTPS_PORT.to_string(), status: "HTTP_301".into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub arn: String,
    pub port: i32,
    pub protocol: String,
    pub actions: Vec<Action>,
    /// The default certificate first, then the SNI ones.
    pub certificates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum Step {
    /// A new HTTPS listener with the certificate as its default.
    CreateHttps { port: i32, ssl_policy: String, forward: Vec<(String, Option<i32>)> },
    /// The certificate added to an existing HTTPS listener's certificate list.
    AddCertificate { listener_arn: String, port: i32 },
    /// An HTTP listener's default action becomes a 301 to HTTPS:443.
    RedirectHttp { listener_arn: String, port: i32, replaces: Vec<Action> },
    /// No listener on port 80: one is created that only redirects.
    CreateHttpRedirect { port: i32 },
}

impl Step {
    /// One line for logs and the document's `changes`.
    pub fn describe(&self) -> String {
        let tgs = |f: &[(String, Option<i32>)]| f.iter().map(|(arn, _)| short(arn)).collect::<Vec<_>>().join(", ");
        match self {
            Step::CreateHttps { port, ssl_policy, forward } => {
                format!("create HTTPS:{port} listener ({ssl_policy}) forwarding to {}", tgs(forward))
            }
            Step::AddCertificate { port, .. } => format!("add the certificate to the HTTPS:{port} listener (SNI)"),
            Step::RedirectHttp { port, .. } => format!("redirect HTTP:{port} to HTTPS:{HTTPS_PORT} (301)"),
            Step::CreateHttpRedirect { port } => format!("create HTTP:{port} listener redirecting to HTTPS:{HTTPS_PORT} (301)"),
        }
    }
}

/// `targetgroup/web/0123...` from a target group ARN.
fn short(arn: &str) -> &str {
    arn.split_once(":targetgroup/").map(|(_, rest)| rest).unwrap_or(arn)
}

pub struct Want<'a> {
    pub certificate_arn: &'a str,
    pub ssl_policy: &'a str,
    /// Forward the new HTTPS listener here instead of where HTTP forwards.
    pub target_groups: Option<Vec<String>>,
    pub redirect_http: bool,
}

/// The HTTPS listener the certificate goes on: port 443 if it is HTTPS, else the lowest HTTPS port.
pub fn https_listener(listeners: &[Listener]) -> Option<&Listener> {
    let https = || listeners.iter().filter(|l| l.protocol == "HTTPS");
    https().find(|l| l.port == HTTPS_PORT).or_else(|| https().min_by_key(|l| l.port))
}

pub fn plan(lb_type: &str, listeners: &[Listener], want: &Want) -> Result<Vec<Step>> {
    if lb_type != "application" {
        return Err(Error::usage(format!(
            "the load balancer is a{} {lb_type} load balancer; cert-attach serves HTTPS on application load balancers",
            if lb_type.starts_with(['a', 'e', 'i', 'o', 'u']) { "n" } else { "" }
        )));
    }
    let mut steps = Vec::new();
    match https_listener(listeners) {
        Some(l) if l.certificates.iter().any(|c| c == want.certificate_arn) => {}
        Some(l) => steps.push(Step::AddCertificate { listener_arn: l.arn.clone(), port: l.port }),
        None => {
            if let Some(taken) = listeners.iter().find(|l| l.port == HTTPS_PORT) {
                return Err(Error::usage(format!(
                    "port {HTTPS_PORT} already has a {} listener ({}); free it first",
                    taken.protocol, taken.arn
                )));
            }
            let forward = match &want.target_groups {
                Some(tgs) => tgs.iter().map(|arn| (arn.clone(), None)).collect(),
                None => where_http_forwards(listeners)?,
            };
            steps.push(Step::CreateHttps { port: HTTPS_PORT, ssl_policy: want.ssl_policy.to_owned(), forward });
        }
    }
    if want.redirect_http {
        match listeners.iter().find(|l| l.port == HTTP_PORT) {
            Some(l) if l.protocol != "HTTP" => {
                return Err(Error::usage(format!("port {HTTP_PORT} has a {} listener, not HTTP; cannot redirect it", l.protocol)));
            }
            Some(l) if l.actions == [Action::https_redirect()] => {}
            Some(l) => steps.push(Step::RedirectHttp { listener_arn: l.arn.clone(), port: l.port, replaces: l.actions.clone() }),
            None => steps.push(Step::CreateHttpRedirect { port: HTTP_PORT }),
        }
    }
    Ok(steps)
}

/// The target groups the HTTP listener (port 80 first) forwards to by default.
fn where_http_forwards(listeners: &[Listener]) -> Result<Vec<(String, Option<i32>)>> {
    let mut http: Vec<&Listener> = listeners.iter().filter(|l| l.protocol == "HTTP").collect();
    http.sort_by_key(|l| (l.port != HTTP_PORT, l.port));
    http.iter()
        .find_map(|l| {
            l.actions.iter().find_map(|a| match a {
                Action::Forward { target_groups } if !target_groups.is_empty() => Some(target_groups.clone()),
                _ => None,
            })
        })
        .ok_or_else(|| {
            Error::usage("no HTTP listener forwards to a target group, so there is nothing to copy: name one with --target-group")
        })
}

/// What the listeners look like after the steps (a model of ELBv2, for tests and dry runs).
pub fn apply(listeners: &[Listener], steps: &[Step], certificate_arn: &str) -> Vec<Listener> {
    let mut out = listeners.to_vec();
    for step in steps {
        match step {
            Step::CreateHttps { port, forward, .. } => out.push(Listener {
                arn: format!("listener/https-{port}"),
                port: *port,
                protocol: "HTTPS".into(),
                actions: vec![Action::Forward { target_groups: forward.clone() }],
                certificates: vec![certificate_arn.to_owned()],
            }),
            Step::AddCertificate { listener_arn, .. } => {
                if let Some(l) = out.iter_mut().find(|l| &l.arn == listener_arn) {
                    l.certificates.push(certificate_arn.to_owned());
                }
            }
            Step::RedirectHttp { listener_arn, .. } => {
                if let Some(l) = out.iter_mut().find(|l| &l.arn == listener_arn) {
                    l.actions = vec![Action::https_redirect()];
                }
            }
            Step::CreateHttpRedirect { port } => out.push(Listener {
                arn: format!("listener/http-{port}"),
                port: *port,
                protocol: "HTTP".into(),
                actions: vec![Action::https_redirect()],
                certificates: Vec::new(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CERT: &str = "arn:aws:acm:us-east-1:123456789012:certificate/new";
    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";

    fn http(port: i32, actions: Vec<Action>) -> Listener {
        Listener { arn: format!("l/http-{port}"), port, protocol: "HTTP".into(), actions, certificates: vec![] }
    }

    fn https(port: i32, certs: &[&str]) -> Listener {
        Listener {
            arn: format!("l/https-{port}"),
            port,
            protocol: "HTTPS".into(),
            actions: vec![forward(TG)],
            certificates: certs.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn forward(tg: &str) -> Action {
        Action::Forward { target_groups: vec![(tg.to_owned(), None)] }
    }

    fn want(redirect: bool, tgs: Option<Vec<String>>) -> Want<'static> {
        Want { certificate_arn: CERT, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", target_groups: tgs, redirect_http: redirect }
    }

    #[test]
    fn a_new_https_listener_forwards_where_http_does() {
        let steps = plan("application", &[http(80, vec![forward(TG)])], &want(false, None)).unwrap();
        assert_eq!(
            steps,
            [Step::CreateHttps { port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06".into(), forward: vec![(TG.into(), None)] }]
        );
        let other = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/api/2".to_owned();
        let steps = plan("application", &[http(80, vec![forward(TG)])], &want(false, Some(vec![other.clone()]))).unwrap();
        assert!(matches!(&steps[0], Step::CreateHttps { forward, .. } if forward[0].0 == other));
    }

    #[test]
    fn an_existing_https_listener_gets_the_certificate_added() {
        let steps = plan("application", &[http(80, vec![forward(TG)]), https(443, &["old"])], &want(false, None)).unwrap();
        assert_eq!(steps, [Step::AddCertificate { listener_arn: "l/https-443".into(), port: 443 }]);
        assert!(plan("application", &[https(443, &["old", CERT])], &want(false, None)).unwrap().is_empty());
        // 443 preferred over another HTTPS port.
        let steps = plan("application", &[https(8443, &[]), https(443, &[])], &want(false, None)).unwrap();
        assert_eq!(steps, [Step::AddCertificate { listener_arn: "l/https-443".into(), port: 443 }]);
    }

    #[test]
    fn redirects_replace_only_port_80s_default() {
        let listeners = [http(80, vec![forward(TG)])];
        let steps = plan("application", &listeners, &want(true, None)).unwrap();
        assert!(matches!(steps[0], Step::CreateHttps { .. }));
        assert_eq!(steps[1], Step::RedirectHttp { listener_arn: "l/http-80".into(), port: 80, replaces: vec![forward(TG)] });
        let steps = plan("application", &[https(443, &[CERT])], &want(true, None)).unwrap();
        assert_eq!(steps, [Step::CreateHttpRedirect { port: 80 }]);
    }

    #[test]
    fn what_cannot_work_is_refused() {
        for (lb, listeners, w) in [
            ("network", vec![http(80, vec![forward(TG)])], want(false, None)),
            ("application", vec![http(80, vec![Action::Other { kind: "fixed-response".into() }])], want(false, None)),
            ("application", vec![], want(false, None)),
            ("application", vec![http(80, vec![forward(TG)]), http(443, vec![forward(TG)])], want(false, None)),
        ] {
            assert_eq!(plan(lb, &listeners, &w).unwrap_err().exit_code(), 2, "{lb} {listeners:?}");
        }
    }

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(forward(TG)),
            Just(Action::https_redirect()),
            Just(Action::Redirect { protocol: "HTTPS".into(), port: "443".into(), status: "HTTP_302".into() }),
            Just(Action::Other { kind: "fixed-response".into() }),
        ]
    }

    fn any_listeners() -> impl Strategy<Value = Vec<Listener>> {
        (
            proptest::option::of(any_action()),
            proptest::option::of(proptest::collection::vec(prop_oneof![Just("old"), Just(CERT)], 0..3)),
            proptest::option::of(any_action()),
        )
            .prop_map(|(on80, https443, on8080)| {
                let mut v = Vec::new();
                if let Some(a) = on80 {
                    v.push(http(80, vec![a]));
                }
                if let Some(certs) = https443 {
                    v.push(https(443, &certs));
                }
                if let Some(a) = on8080 {
                    v.push(http(8080, vec![a]));
                }
                v
            })
    }

    proptest! {
        #[test]
        fn plans_converge_and_keep_every_certificate(listeners in any_listeners(), redirect in any::<bool>(), tg in any::<bool>()) {
            let w = want(redirect, tg.then(|| vec![TG.to_owned()]));
            let Ok(steps) = plan("application", &listeners, &w) else { return Ok(()) };
            let after = apply(&listeners, &steps, CERT);
            prop_assert!(plan("application", &after, &w).unwrap().is_empty(), "{:?}", after);
            let served = https_listener(&after).unwrap();
            prop_assert!(served.certificates.iter().any(|c| c == CERT));
            for before in &listeners {
                let now = after.iter().find(|l| l.arn == before.arn).unwrap();
                prop_assert!(before.certificates.iter().all(|c| now.certificates.contains(c)), "a certificate was dropped");
                if !(redirect && before.port == HTTP_PORT) {
                    prop_assert_eq!(&before.actions, &now.actions, "only port 80's action may change");
                }
            }
        }
    }
}
