# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vpc_bootstrap_global_optspecs
    string join \n region= profile= endpoint-url= v/verbose q/quiet print-policy h/help V/version
end

function __fish_vpc_bootstrap_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vpc_bootstrap_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vpc_bootstrap_using_subcommand
    set -l cmd (__fish_vpc_bootstrap_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -s V -l version -d 'Print version'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "create" -d 'Create a network, or converge an existing one, and print its `vpc` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "show" -d 'Print the `vpc` document of an existing network; changes nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "destroy" -d 'Delete everything the network\'s tags say vpc-bootstrap created, in dependency order'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "lb" -d 'Create or converge the network\'s application load balancer and print its `load-balancer` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "load-balancer" -d 'Create or converge the network\'s application load balancer and print its `load-balancer` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "peer" -d 'Peer the network\'s VPC with another network or VPC (routes on both sides) and print a `peering` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l cidr -d 'The VPC\'s IPv4 CIDR (/16 to /28, in a private range)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l azs -d 'Use the region\'s first N AZs' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l az -d 'Use these AZs, by letter or full name (repeat or comma-separate: --az a,c)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l public-per-az -d 'Public subnets per AZ' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l private-per-az -d 'Private subnets per AZ' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l subnet-prefix -d 'Subnet size as a prefix length [default: VPC prefix + 8, at most 28]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l subnet -d 'An explicit subnet, overriding a planned one of the same name: name=…,cidr=…,az=…[,tier=public|private]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l nat -d 'NAT gateways for the private subnets' -r -f -a "none\t'No NAT gateway: private subnets have no route out'
single\t'One NAT gateway, in the first AZ, shared by every private subnet'
per-az\t'One NAT gateway per AZ: no cross-AZ traffic, no single point of failure'"
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l nat-eip -d 'Use this Elastic IP allocation for a NAT gateway instead of allocating one (repeat, in AZ order); never released' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l web-port -d 'Ports the web group opens' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l web-from -d 'Where the web group admits traffic from' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l ssh-from -d 'Where the bastion group admits SSH from [default: your public IP/32, detected over HTTPS]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l private-route-tables -d 'Private route tables: one per AZ, or one per private subnet (the reference lab\'s layout); a change re-associates the subnets and deletes the tables left over' -r -f -a "per-az\t'One table per AZ, shared by the AZ\'s private subnets'
per-subnet\t'One table per private subnet, as the reference lab builds them'"
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l endpoint -d 'Gateway endpoints on the private route tables (repeat or comma-separate)' -r -f -a "s3\t''
dynamodb\t''"
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l bastion-ami -d 'The bastion\'s AMI [default: latest Amazon Linux 2023, from SSM]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l bastion-type -d 'The bastion\'s instance type' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l key-name -d 'The EC2 key pair the bastion accepts' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l timeout -d 'Give up waiting (NAT gateways, the bastion) after this long, e.g. 90s, 15m' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l force-cidr -d 'Allow a VPC CIDR outside the private ranges'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l allow-ssh-from-anywhere -d 'Allow --ssh-from networks that together cover more than a /8 (0.0.0.0/0: SSH from the whole internet)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l bastion -d 'Launch a bastion host in the first public subnet'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l regions -d 'With --accounts or --org: the regions to look in (`all`: every enabled region) [default: the configured region]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l jobs -d 'With --accounts or --org: at most this many (account, region) pairs at once' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l accounts -d 'Run in each of these accounts (12-digit ids), assuming --role-name in each' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l ou -d 'With --org: only the accounts under these OUs (child OUs included)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l exclude-accounts -d 'Leave these accounts out' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l role-name -d 'The role assumed in each account (the caller\'s own account is used directly); for audits, a read-only role' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l external-id -d 'The external id the fleet role\'s trust policy asks for' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l shard -d 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l org -d 'Run in every ACTIVE account of the caller\'s AWS Organization'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand show" -s h -l help -d 'Print help'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -l timeout -d 'Give up waiting (NAT gateways, instances, draining interfaces) after this long' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -s y -l yes -d 'Do not ask; required when not on a terminal'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand destroy" -s h -l help -d 'Print help'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l name -d 'The load balancer\'s (and its target group\'s) name [default: NAME-web]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l target -d 'Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l port -d 'The port the targets serve HTTP on' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l health-path -d 'Health check: the URL path asked for' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l health-interval -d 'Health check: seconds between checks (5-300)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l health-timeout -d 'Health check: seconds without an answer that fail a check (2-120, less than the interval)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l healthy-threshold -d 'Health check: consecutive successes before a target counts as healthy (2-10)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l unhealthy-threshold -d 'Health check: consecutive failures before a target counts as unhealthy (2-10)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l health-codes -d 'Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l stickiness -d 'Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l access-logs -d 'Write access logs to this S3 bucket (its policy must admit ELB\'s log delivery); off without it' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l timeout -d 'Give up waiting (healthy targets, deletions) after this long' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l deletion-protection -d 'Turn deletion protection on (destroy turns it off again before it deletes)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l no-wait -d 'Do not wait until the targets are healthy'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand lb" -s h -l help -d 'Print help'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l name -d 'The load balancer\'s (and its target group\'s) name [default: NAME-web]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l target -d 'Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l port -d 'The port the targets serve HTTP on' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l health-path -d 'Health check: the URL path asked for' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l health-interval -d 'Health check: seconds between checks (5-300)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l health-timeout -d 'Health check: seconds without an answer that fail a check (2-120, less than the interval)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l healthy-threshold -d 'Health check: consecutive successes before a target counts as healthy (2-10)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l unhealthy-threshold -d 'Health check: consecutive failures before a target counts as unhealthy (2-10)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l health-codes -d 'Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l stickiness -d 'Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l access-logs -d 'Write access logs to this S3 bucket (its policy must admit ELB\'s log delivery); off without it' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l timeout -d 'Give up waiting (healthy targets, deletions) after this long' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l deletion-protection -d 'Turn deletion protection on (destroy turns it off again before it deletes)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l no-wait -d 'Do not wait until the targets are healthy'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand load-balancer" -s h -l help -d 'Print help'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l route-tables -d 'Which route tables of both sides get the route to the other side\'s CIDR' -r -f -a "private\t''
public\t''
all\t''"
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l allow-from-peer -d 'Admit these TCP ports from the other side\'s CIDR on the networks\' private groups (repeat or comma-separate)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l accepter-role-arn -d 'Accept (and route) on the other side with this role: needed when OTHER is in another account' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l peer-region -d 'The region of OTHER when it is a network name or a bare VPC id [default: --region]' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l timeout -d 'Give up waiting for the connection after this long' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l delete -d 'Remove the peering: its routes on both sides, the rules admitting the peer, the connection'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -s y -l yes -d 'Do not ask before --delete; required when not on a terminal'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand peer" -s h -l help -d 'Print help'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand help; and not __fish_seen_subcommand_from create show destroy lb peer help" -f -a "create" -d 'Create a network, or converge an existing one, and print its `vpc` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand help; and not __fish_seen_subcommand_from create show destroy lb peer help" -f -a "show" -d 'Print the `vpc` document of an existing network; changes nothing'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand help; and not __fish_seen_subcommand_from create show destroy lb peer help" -f -a "destroy" -d 'Delete everything the network\'s tags say vpc-bootstrap created, in dependency order'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand help; and not __fish_seen_subcommand_from create show destroy lb peer help" -f -a "lb" -d 'Create or converge the network\'s application load balancer and print its `load-balancer` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand help; and not __fish_seen_subcommand_from create show destroy lb peer help" -f -a "peer" -d 'Peer the network\'s VPC with another network or VPC (routes on both sides) and print a `peering` document'
complete -c vpc-bootstrap -n "__fish_vpc_bootstrap_using_subcommand help; and not __fish_seen_subcommand_from create show destroy lb peer help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
