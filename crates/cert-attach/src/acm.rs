//! ACM calls: find an issued or pending certificate for exactly these names, request a
//! DNS-validated one (idempotently), wait until ACM hands out the validation records, and
//! wait until the certificate is ISSUED, naming ACM's failure reason when it is not.

use crate::names::CertNames;
use crate::validation::ValidationRecord;
use aws_sdk_acm::Client;
use aws_sdk_acm::types::{CertificateDetail, CertificateStatus, CertificateType, Filters, KeyAlgorithm, Tag, ValidationMethod};
use awsops_core::dns_name::DomainName;
use awsops_core::error::aws_error;
use awsops_core::ownership::TOOL_TAG;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result, all_items};
use std::time::Duration;

use awsops_core::permissions::Grant;

const CERTIFICATES: &str = "arn:{partition}:acm:{region}:{account}:certificate/*";
/// Finding a certificate to reuse: ListCertificates works only on `*`.
pub static FIND_CERTIFICATES: Grant = Grant::any("FindCertificate", &["acm:ListCertificates"]);
/// Reading a certificate's names, status and validation records (also while waiting).
pub static READ_CERTIFICATES: Grant = Grant::any("ReadCertificates", &["acm:DescribeCertificate"]).on(&[CERTIFICATES]);
/// Requesting the certificate with cert-attach's tag (ACM authorizes the tags as AddTagsToCertificate).
pub static REQUEST_CERTIFICATE: Grant =
    Grant::any("RequestCertificate", &["acm:AddTagsToCertificate", "acm:RequestCertificate"]).tags_on_create();

/// A certificate as this command needs to see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    pub arn: String,
    pub domain: String,
    /// Every name it covers (the domain among them).
    pub names: Vec<String>,
    pub status: String,
    /// The DNS records ACM has handed out so far.
    pub records: Vec<ValidationRecord>,
    /// Names whose record ACM has not handed out yet.
    pub awaiting_records: usize,
    pub failure_reason: Option<String>,
    pub created_at: f64,
}

fn from_detail(d: &CertificateDetail) -> Result<Certificate> {
    let arn = d.certificate_arn().unwrap_or_default().to_owned();
    let mut names: Vec<String> = d.subject_alternative_names().iter().map(|n| n.to_ascii_lowercase()).collect();
    let domain = d.domain_name().unwrap_or_default().to_ascii_lowercase();
    if !names.contains(&domain) {
        names.push(domain.clone());
    }
    names.sort();
    let mut records = Vec::new();
    let mut awaiting = 0;
    for dv in d.domain_validation_options() {
        match dv.resource_record() {
            Some(r) => records.push(ValidationRecord::new(DomainName::parse(dv.domain_name())?, r.name(), r.r#type().as_str(), r.value())),
            None => awaiting += 1,
        }
    }
    Ok(Certificate {
        arn,
        domain,
        names,
        status: d.status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        records,
        awaiting_records: awaiting,
        failure_reason: d.failure_reason().map(|r| r.as_str().to_owned()),
        created_at: d.created_at().map(|t| t.as_secs_f64()).unwrap_or_default(),
    })
}

pub async fn describe(acm: &Client, arn: &str) -> Result<Certificate> {
    let out = acm.describe_certificate().certificate_arn(arn).send().await.map_err(aws_error("DescribeCertificate"))?;
    from_detail(out.certificate().ok_or_else(|| Error::failed(format!("DescribeCertificate returned nothing for {arn}")))?)
}

/// An Amazon-issued certificate for exactly these names and key, ISSUED or still pending
/// validation (ISSUED first, then the newest).
pub async fn find_reusable(acm: &Client, names: &CertNames, key: &KeyAlgorithm) -> Result<Option<Certificate>> {
    // ListCertificates shows RSA-2048 certificates only unless other key types are asked for.
    let summaries: Vec<_> = all_items!(
        acm.list_certificates()
            .certificate_statuses(CertificateStatus::Issued)
            .certificate_statuses(CertificateStatus::PendingValidation)
            .includes(Filters::builder().key_types(key.clone()).build()),
        "ListCertificates"
    )?;
    let candidates: Vec<String> = summaries
        .iter()
        .filter(|s| s.domain_name().is_some_and(|d| d.eq_ignore_ascii_case(names.domain.as_str())))
        .filter(|s| s.r#type().is_none_or(|t| *t == CertificateType::AmazonIssued))
        .filter_map(|s| s.certificate_arn().map(str::to_owned))
        .collect();
    // The summary's name list can be truncated: the full one comes from DescribeCertificate.
    let details = futures_util::future::try_join_all(candidates.iter().map(|arn| describe(acm, arn))).await?;
    let mut matching: Vec<Certificate> = details
        .into_iter()
        .filter(|c| matches!(c.status.as_str(), "ISSUED" | "PENDING_VALIDATION") && names.same_as(&c.domain, &c.names))
        .collect();
    matching.sort_by(|a, b| (a.status != "ISSUED").cmp(&(b.status != "ISSUED")).then(b.created_at.total_cmp(&a.created_at)));
    Ok(matching.into_iter().next())
}

pub async fn request(acm: &Client, names: &CertNames, key: &KeyAlgorithm) -> Result<String> {
    let tag = Tag::builder().key(TOOL_TAG).value(crate::NAME).build().map_err(|e| Error::failed(e.to_string()))?;
    let out = acm
        .request_certificate()
        .domain_name(names.domain.as_str())
        .set_subject_alternative_names(Some(names.alternative_names()).filter(|v| !v.is_empty()))
        .validation_method(ValidationMethod::Dns)
        .key_algorithm(key.clone())
        .idempotency_token(names.idempotency_token(key.as_str()))
        .tags(tag)
        .send()
        .await
        .map_err(aws_error("RequestCertificate"))?;
    out.certificate_arn().map(str::to_owned).ok_or_else(|| Error::failed("RequestCertificate returned no ARN"))
}

/// ACM fills in the validation records a few seconds after the request.
pub async fn wait_for_records(acm: &Client, arn: &str, timeout: Duration) -> Result<Certificate> {
    Waiter::new(format!("ACM to publish the validation records of {arn}"), timeout)
        .delays(Duration::from_millis(500), Duration::from_secs(5))
        .wait(|| async {
            let cert = describe(acm, arn).await?;
            failed(&cert)?;
            Ok(if cert.awaiting_records == 0 && !cert.records.is_empty() {
                Poll::Ready(cert)
            } else {
                Poll::Pending(format!("{} of {} records", cert.records.len(), cert.records.len() + cert.awaiting_records))
            })
        })
        .await
}

pub async fn wait_issued(acm: &Client, arn: &str, timeout: Duration) -> Result<Certificate> {
    Waiter::new(format!("certificate {arn} to be ISSUED"), timeout)
        .delays(Duration::from_secs(1), Duration::from_secs(30))
        .wait(|| async {
            let cert = describe(acm, arn).await?;
            failed(&cert)?;
            Ok(if cert.status == "ISSUED" { Poll::Ready(cert) } else { Poll::Pending(cert.status) })
        })
        .await
}

/// A certificate that can no longer become ISSUED is an error naming ACM's reason.
fn failed(cert: &Certificate) -> Result<()> {
    match cert.status.as_str() {
        "ISSUED" | "PENDING_VALIDATION" => Ok(()),
        status => Err(Error::failed(format!(
            "certificate {} is {status}{}",
            cert.arn,
            cert.failure_reason.as_deref().map(|r| format!(" ({r}); {}", advice(r))).unwrap_or_default()
        ))),
    }
}

/// What to do about ACM's failure reasons.
pub fn advice(reason: &str) -> &'static str {
    match reason {
        "CAA_ERROR" => "a CAA record forbids Amazon from issuing for this domain: allow amazon.com in it",
        "DOMAIN_NOT_ALLOWED" | "INVALID_PUBLIC_DOMAIN" => "ACM will not issue for this domain name",
        "ADDITIONAL_VERIFICATION_REQUIRED" => "ACM needs more information: open a case with AWS Support",
        "NO_AVAILABLE_CONTACTS" | "DOMAIN_VALIDATION_DENIED" => "the domain could not be validated: check the validation records",
        _ => "request a new certificate after fixing the cause",
    }
}

/// The key algorithms ACM issues with.
pub fn key_algorithm(text: &str) -> std::result::Result<KeyAlgorithm, String> {
    const KNOWN: [&str; 4] = ["RSA_2048", "EC_prime256v1", "EC_secp384r1", "RSA_3072"];
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(text))
        .map(|k| KeyAlgorithm::from(*k))
        .ok_or_else(|| format!("expected one of {}", KNOWN.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_reason_and_what_to_do() {
        let cert = Certificate {
            arn: "arn:c".into(),
            domain: "example.com".into(),
            names: vec![],
            status: "FAILED".into(),
            records: vec![],
            awaiting_records: 0,
            failure_reason: Some("CAA_ERROR".into()),
            created_at: 0.0,
        };
        let err = failed(&cert).unwrap_err().to_string();
        assert!(err.contains("FAILED (CAA_ERROR)") && err.contains("amazon.com"), "{err}");
        assert!(failed(&Certificate { status: "PENDING_VALIDATION".into(), ..cert }).is_ok());
    }

    #[test]
    fn key_algorithms_are_checked() {
        assert_eq!(key_algorithm("ec_prime256v1").unwrap(), KeyAlgorithm::EcPrime256v1);
        assert!(key_algorithm("DSA").unwrap_err().contains("RSA_2048"));
    }
}
