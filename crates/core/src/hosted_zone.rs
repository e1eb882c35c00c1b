//! Which hosted zone a name belongs in: the longest zone name that contains it, among
//! public zones (or private ones, when asked), or the zone a `--zone-id` pins. Two zones
//! of the same name are reported, never guessed between.

use crate::dns_name::DomainName;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Without the `/hostedzone/` prefix.
    pub id: String,
    /// Normalised: lowercase, no trailing dot.
    pub name: String,
    pub private: bool,
}

impl Zone {
    pub fn new(id: &str, name: &str, private: bool) -> Zone {
        Zone { id: id.trim_start_matches("/hostedzone/").to_owned(), name: name.trim_end_matches('.').to_ascii_lowercase(), private }
    }
}

/// Which zones a name is looked for in. The hint on a miss names `--private` only to
/// commands that have that flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Among {
    /// Public zones; the command has `--private` for private ones.
    Public,
    Private,
    /// Public zones, and the command has no way to ask for private ones.
    PublicOnly,
}

pub fn choose<'a>(name: &DomainName, zones: &'a [Zone], among: Among, pinned: Option<&str>) -> Result<&'a Zone> {
    let private = among == Among::Private;
    if let Some(id) = pinned {
        let id = id.trim_start_matches("/hostedzone/");
        let zone = zones.iter().find(|z| z.id == id).ok_or_else(|| Error::usage(format!("no hosted zone {id} in this account")))?;
        if !name.is_within(&zone.name) {
            return Err(Error::usage(format!("{name} is not within zone {} ({})", zone.name, zone.id)));
        }
        return Ok(zone);
    }
    let longest = zones.iter().filter(|z| z.private == private && name.is_within(&z.name)).map(|z| z.name.len()).max();
    let kind = if private { "private" } else { "public" };
    let Some(longest) = longest else {
        return Err(Error::usage(format!(
            "no {kind} hosted zone for {name}{}",
            match among {
                Among::Public => " (add --private for a private zone)",
                Among::Private => "",
                Among::PublicOnly => " (only public zones can be used here)",
            }
        )));
    };
    let best: Vec<&Zone> = zones.iter().filter(|z| z.private == private && name.is_within(&z.name) && z.name.len() == longest).collect();
    match best.as_slice() {
        [one] => Ok(one),
        many => Err(Error::usage(format!(
            "{} {kind} hosted zones are named {}: {}; pass --zone-id to choose",
            many.len(),
            many[0].name,
            many.iter().map(|z| z.id.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones() -> Vec<Zone> {
        vec![
            Zone::new("/hostedzone/Z1", "example.com.", false),
            Zone::new("Z2", "api.example.com", false),
            Zone::new("Z3", "example.com", true),
            Zone::new("Z4", "dup.org", false),
            Zone::new("Z5", "dup.org", false),
        ]
    }

    fn pick(name: &str, private: bool, pinned: Option<&str>) -> Result<String> {
        let z = zones();
        let among = if private { Among::Private } else { Among::Public };
        choose(&DomainName::parse(name).unwrap(), &z, among, pinned).map(|z| z.id.clone())
    }

    #[test]
    fn the_private_hint_only_where_the_flag_exists() {
        let z = zones();
        let name = DomainName::parse("www.nowhere.net").unwrap();
        assert!(choose(&name, &z, Among::Public, None).unwrap_err().to_string().contains("add --private"));
        let only_public = choose(&name, &z, Among::PublicOnly, None).unwrap_err().to_string();
        assert!(!only_public.contains("--private") && only_public.contains("only public zones"), "{only_public}");
    }

    #[test]
    fn the_longest_suffix_wins_by_label() {
        assert_eq!(pick("www.example.com", false, None).unwrap(), "Z1");
        assert_eq!(pick("example.com", false, None).unwrap(), "Z1");
        assert_eq!(pick("v1.api.example.com", false, None).unwrap(), "Z2");
        assert_eq!(pick("www.example.com", true, None).unwrap(), "Z3");
        assert!(pick("www.notexample.com", false, None).unwrap_err().to_string().contains("no public hosted zone"));
    }

    #[test]
    fn duplicates_are_reported_and_pins_are_checked() {
        let err = pick("www.dup.org", false, None).unwrap_err();
        assert!(err.to_string().contains("Z4, Z5") && err.to_string().contains("--zone-id"), "{err}");
        assert_eq!(pick("www.dup.org", false, Some("/hostedzone/Z5")).unwrap(), "Z5");
        assert!(pick("www.other.org", false, Some("Z5")).unwrap_err().to_string().contains("not within"));
        assert!(pick("www.dup.org", false, Some("Z9")).unwrap_err().to_string().contains("no hosted zone Z9"));
    }
}
