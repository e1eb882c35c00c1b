//! The IAM permissions each code path needs, declared next to the code that calls AWS:
//! a module that calls `ec2.create_vpc()` declares a [`Grant`] naming `ec2:CreateVpc`,
//! the resources it touches and how they are tagged. A command picks the grants its
//! flags can reach ([`Needs`]); `--print-policy`, the `--help` line and the man page's
//! PERMISSIONS section are all rendered from those declarations, and each crate's
//! coverage test ([`crate::sdk_calls`]) fails when a module calls an SDK operation it
//! does not declare — so the printed policy cannot drift from the code.

use std::collections::BTreeMap;

/// One statement's worth of permissions: why (the `Sid`), which actions, on what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// The statement's `Sid`: says why the actions are needed (`CreateNatGateway`).
    pub sid: &'static str,
    /// `service:Action` names, exactly as IAM spells them.
    pub actions: &'static [&'static str],
    /// ARN templates (see [`Scope::render`]); empty means `*`, for actions AWS does not
    /// scope to a resource (Describe*, List*, and a few others).
    pub resources: &'static [&'static str],
    /// How the resources are tied to the stack by tags.
    pub tagging: Tagging,
}

/// How a grant's resources are tied to the stack, as IAM conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagging {
    /// No tag condition (reads, or resources that carry no awsops tags).
    Untagged,
    /// The resources exist and carry `awsops:stack=<stack>`: `aws:ResourceTag/awsops:stack`.
    StackOwned,
    /// The call creates the resources with `awsops:stack=<stack>` in the request
    /// (tag-on-create): `aws:RequestTag/awsops:stack`; EC2 creates also need the
    /// `TagOnCreate` statement (`ec2:CreateTags` where `ec2:CreateAction` is the create).
    TagsOnCreate,
}

impl Grant {
    /// A grant on `*` without conditions: for actions AWS does not scope to resources.
    pub const fn any(sid: &'static str, actions: &'static [&'static str]) -> Grant {
        Grant { sid, actions, resources: &[], tagging: Tagging::Untagged }
    }

    /// The grant on these resources.
    pub const fn on(self, resources: &'static [&'static str]) -> Grant {
        Grant { resources, ..self }
    }

    /// The grant on resources the stack owns.
    pub const fn owned(self) -> Grant {
        Grant { tagging: Tagging::StackOwned, ..self }
    }

    /// The grant for creates that tag what they make with the stack's tags.
    pub const fn tags_on_create(self) -> Grant {
        Grant { tagging: Tagging::TagsOnCreate, ..self }
    }

    /// Whether this grant names `action` (`ec2:CreateVpc`), case-insensitively as IAM compares.
    pub fn names(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a.eq_ignore_ascii_case(action))
    }
}

/// Whose account the caller is in: `sts:GetCallerIdentity`. AWS allows it to everyone, so a
/// command may declare it without printing it; one that prints it says what it asks.
pub static WHO_AM_I: Grant = Grant::any("WhoAmI", &["sts:GetCallerIdentity"]);

/// What one invocation may call: the grants its flags reach, and what fills the ARNs.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    pub grants: Vec<&'static Grant>,
    pub scope: Scope,
    /// What the policy leaves to others (e.g. a role's own policy), said on stderr.
    pub notes: Vec<String>,
}

impl Needs {
    pub fn new(scope: Scope) -> Needs {
        Needs { grants: Vec::new(), scope, notes: Vec::new() }
    }

    /// Adds grants (a grant already present is not repeated).
    pub fn add(&mut self, grants: &[&'static Grant]) -> &mut Needs {
        for g in grants {
            if !self.grants.iter().any(|have| std::ptr::eq(*have, *g) || *have == *g) {
                self.grants.push(g);
            }
        }
        self
    }

    /// `add` when `condition` holds.
    pub fn add_if(&mut self, condition: bool, grants: &[&'static Grant]) -> &mut Needs {
        if condition {
            self.add(grants);
        }
        self
    }

    /// Every action, sorted and without repeats.
    pub fn actions(&self) -> Vec<&'static str> {
        let mut all: Vec<&str> = self.grants.iter().flat_map(|g| g.actions.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// What fills an ARN template: the partition and region, the account, the stack, and
/// named values from the flags (`{role_arn}`, `{load_balancer}`, …). What is not known
/// without an AWS call renders as `*`, and [`Scope::notes`] says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The command, whose name every resource it creates carries in `awsops:tool`.
    pub tool: &'static str,
    pub region: Option<String>,
    /// The invocation calls AWS in several regions (copies, multi-region prunes): ARNs
    /// use `*` for the region.
    pub several_regions: bool,
    pub account: Option<String>,
    pub stack: Option<String>,
    pub values: BTreeMap<&'static str, String>,
}

impl Scope {
    pub fn new(tool: &'static str, region: Option<&str>) -> Scope {
        Scope { tool, region: region.filter(|r| !r.is_empty()).map(str::to_owned), ..Scope::default() }
    }

    pub fn stack(mut self, stack: &str) -> Scope {
        self.stack = Some(stack.to_owned());
        self
    }

    pub fn value(mut self, key: &'static str, value: impl Into<String>) -> Scope {
        self.values.insert(key, value.into());
        self
    }

    /// The scope for calls in several regions.
    pub fn in_several_regions(mut self) -> Scope {
        self.several_regions = true;
        self
    }

    /// The partition of the region (`aws`, `aws-cn`, `aws-us-gov`, …); `aws` when unknown.
    pub fn partition(&self) -> &str {
        match self.region.as_deref() {
            None => "aws",
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            Some(r) if r.starts_with("us-isob-") => "aws-iso-b",
            Some(r) if r.starts_with("us-iso-") => "aws-iso",
            Some(r) if r.starts_with("eusc-") => "aws-eusc",
            Some(_) => "aws",
        }
    }

    /// The template with `{partition}`, `{region}`, `{account}`, `{stack}` and the named
    /// values filled in; anything not known becomes `*`.
    pub fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(len) = rest[start..].find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let key = &rest[start + 1..start + len];
            let value = match key {
                "partition" => Some(self.partition()),
                "region" if self.several_regions => None,
                "region" => self.region.as_deref(),
                "account" => self.account.as_deref(),
                "stack" => self.stack.as_deref(),
                other => self.values.get(other).map(String::as_str),
            };
            out.push_str(value.unwrap_or("*"));
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// What the printed policy leaves open because it is not known without a call.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.account.is_none() {
            notes.push("the account is not known without an AWS call: ARNs use * for it (replace it with your account id)".into());
        }
        if self.several_regions {
            notes.push("this invocation calls AWS in several regions: ARNs use * for the region".into());
        } else if self.region.is_none() {
            notes.push("no region given (--region or AWS_REGION): ARNs use * for the region and the partition aws".into());
        }
        notes
    }
}

/// The one-line summary of grants for `--help`: every action, comma-separated.
pub fn help_line(grants: &[&'static Grant]) -> String {
    let mut needs = Needs::default();
    needs.add(grants);
    format!(
        "IAM permissions (at most, depending on the flags): {}. --print-policy prints the exact policy of an invocation.",
        needs.actions().join(", ")
    )
}

/// `command` with the [`help_line`] of each subcommand's grants after its help (the
/// top-level command's own for a command without subcommands, else a pointer to them).
pub fn with_help_lines(mut command: clap::Command, table: &Table) -> clap::Command {
    for (sub, grants) in table {
        let line = help_line(grants);
        if sub.is_empty() {
            command = command.after_help(line);
        } else {
            command = command.mut_subcommand(*sub, |s| s.after_help(line));
        }
    }
    if !table.iter().any(|(sub, _)| sub.is_empty()) {
        command = command
            .after_help("IAM permissions: each subcommand's --help lists them; --print-policy prints the exact policy of an invocation.");
    }
    command
}

/// What an invocation of `C` needs, from its arguments (without the program name): how
/// tests and tools ask for a policy without running the command.
pub fn needs_of<C: crate::CommandCli>(name: &str, args: &[&str]) -> crate::Result<Needs> {
    let cli = C::try_parse_from(std::iter::once(name).chain(args.iter().copied())).map_err(|e| crate::Error::usage(e.to_string()))?;
    cli.needs()
}

/// Every grant each subcommand may need whatever its flags: (subcommand, grants); the
/// subcommand is `""` for a command without subcommands. Registered by the runner so an
/// AccessDenied can name the IAM action of the operation that was denied.
pub type Table = Vec<(&'static str, Vec<&'static Grant>)>;

static REGISTERED: std::sync::OnceLock<Vec<&'static Grant>> = std::sync::OnceLock::new();

/// Remembers the command's grants (for [`action_of`]); the first call wins.
pub fn register(table: &Table) {
    let _ = REGISTERED.set(table.iter().flat_map(|(_, g)| g.iter().copied()).collect());
}

/// The IAM action a declared grant gives for an API operation (`CreateVpc` → `ec2:CreateVpc`).
pub fn action_of(operation: &str) -> Option<&'static str> {
    REGISTERED
        .get()?
        .iter()
        .flat_map(|g| g.actions.iter().copied())
        .find(|a| a.split_once(':').is_some_and(|(_, name)| name.eq_ignore_ascii_case(operation)))
}

#[cfg(test)]
mod tests {
    use super::*;

    static READ: Grant = Grant::any("ReadNetwork", &["ec2:DescribeVpcs", "ec2:DescribeSubnets"]);
    static CREATE: Grant =
        Grant::any("CreateVpc", &["ec2:CreateVpc"]).on(&["arn:{partition}:ec2:{region}:{account}:vpc/*"]).tags_on_create();

    #[test]
    fn templates_fill_what_is_known_and_star_the_rest() {
        let scope = Scope::new("vpc-bootstrap", Some("ap-northeast-2")).stack("lab").value("role_arn", "arn:aws:iam::1:role/x");
        assert_eq!(scope.render("arn:{partition}:ec2:{region}:{account}:vpc/*"), "arn:aws:ec2:ap-northeast-2:*:vpc/*");
        assert_eq!(scope.render("{role_arn}"), "arn:aws:iam::1:role/x");
        assert_eq!(scope.render("x/{unknown}/{stack}"), "x/*/lab");
        assert_eq!(scope.render("unclosed {brace"), "unclosed {brace");
        assert_eq!(Scope::new("vpc-bootstrap", Some("cn-north-1")).partition(), "aws-cn");
        assert_eq!(Scope::new("vpc-bootstrap", Some("us-gov-west-1")).partition(), "aws-us-gov");
        assert_eq!(Scope::new("vpc-bootstrap", None).render("arn:{partition}:ec2:{region}:x"), "arn:aws:ec2:*:x");
        assert_eq!(
            Scope::new("ami-snap", Some("cn-north-1")).in_several_regions().render("arn:{partition}:ec2:{region}:x"),
            "arn:aws-cn:ec2:*:x"
        );
        assert_eq!(Scope::new("vpc-bootstrap", None).notes().len(), 2);
        let known = Scope { account: Some("123456789012".into()), ..Scope::new("vpc-bootstrap", Some("us-east-1")) };
        assert!(known.notes().is_empty());
    }

    #[test]
    fn needs_keep_each_grant_once_and_list_actions_sorted() {
        let mut needs = Needs::default();
        needs.add(&[&CREATE, &READ]).add(&[&READ]).add_if(false, &[&CREATE]);
        assert_eq!(needs.grants.len(), 2);
        assert_eq!(needs.actions(), vec!["ec2:CreateVpc", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]);
        assert!(CREATE.names("EC2:createvpc") && !CREATE.names("ec2:DeleteVpc"));
        assert!(help_line(&[&READ]).contains("ec2:DescribeSubnets, ec2:DescribeVpcs"));
    }
}
