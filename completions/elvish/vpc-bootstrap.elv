
use builtin;
use str;

set edit:completion:arg-completer[vpc-bootstrap] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'vpc-bootstrap'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'vpc-bootstrap'= {
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a network, or converge an existing one, and print its `vpc` document'
            cand show 'Print the `vpc` document of an existing network; changes nothing'
            cand destroy 'Delete everything the network''s tags say vpc-bootstrap created, in dependency order'
            cand lb 'Create or converge the network''s application load balancer and print its `load-balancer` document'
            cand load-balancer 'Create or converge the network''s application load balancer and print its `load-balancer` document'
            cand peer 'Peer the network''s VPC with another network or VPC (routes on both sides) and print a `peering` document'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vpc-bootstrap;create'= {
            cand --cidr 'The VPC''s IPv4 CIDR (/16 to /28, in a private range)'
            cand --azs 'Use the region''s first N AZs'
            cand --az 'Use these AZs, by letter or full name (repeat or comma-separate: --az a,c)'
            cand --public-per-az 'Public subnets per AZ'
            cand --private-per-az 'Private subnets per AZ'
            cand --subnet-prefix 'Subnet size as a prefix length [default: VPC prefix + 8, at most 28]'
            cand --subnet 'An explicit subnet, overriding a planned one of the same name: name=…,cidr=…,az=…[,tier=public|private]'
            cand --nat 'NAT gateways for the private subnets'
            cand --nat-eip 'Use this Elastic IP allocation for a NAT gateway instead of allocating one (repeat, in AZ order); never released'
            cand --web-port 'Ports the web group opens'
            cand --web-from 'Where the web group admits traffic from'
            cand --ssh-from 'Where the bastion group admits SSH from [default: your public IP/32, detected over HTTPS]'
            cand --private-route-tables 'Private route tables: one per AZ, or one per private subnet (the reference lab''s layout); a change re-associates the subnets and deletes the tables left over'
            cand --endpoint 'Gateway endpoints on the private route tables (repeat or comma-separate)'
            cand --bastion-ami 'The bastion''s AMI [default: latest Amazon Linux 2023, from SSM]'
            cand --bastion-type 'The bastion''s instance type'
            cand --key-name 'The EC2 key pair the bastion accepts'
            cand --timeout 'Give up waiting (NAT gateways, the bastion) after this long, e.g. 90s, 15m'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --force-cidr 'Allow a VPC CIDR outside the private ranges'
            cand --allow-ssh-from-anywhere 'Allow --ssh-from networks that together cover more than a /8 (0.0.0.0/0: SSH from the whole internet)'
            cand --bastion 'Launch a bastion host in the first public subnet'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'vpc-bootstrap;show'= {
            cand --regions 'With --accounts or --org: the regions to look in (`all`: every enabled region) [default: the configured region]'
            cand --jobs 'With --accounts or --org: at most this many (account, region) pairs at once'
            cand --accounts 'Run in each of these accounts (12-digit ids), assuming --role-name in each'
            cand --ou 'With --org: only the accounts under these OUs (child OUs included)'
            cand --exclude-accounts 'Leave these accounts out'
            cand --role-name 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role'
            cand --external-id 'The external id the fleet role''s trust policy asks for'
            cand --shard 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --org 'Run in every ACTIVE account of the caller''s AWS Organization'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;destroy'= {
            cand --timeout 'Give up waiting (NAT gateways, instances, draining interfaces) after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand -y 'Do not ask; required when not on a terminal'
            cand --yes 'Do not ask; required when not on a terminal'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;lb'= {
            cand --name 'The load balancer''s (and its target group''s) name [default: NAME-web]'
            cand --target 'Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are'
            cand --port 'The port the targets serve HTTP on'
            cand --health-path 'Health check: the URL path asked for'
            cand --health-interval 'Health check: seconds between checks (5-300)'
            cand --health-timeout 'Health check: seconds without an answer that fail a check (2-120, less than the interval)'
            cand --healthy-threshold 'Health check: consecutive successes before a target counts as healthy (2-10)'
            cand --unhealthy-threshold 'Health check: consecutive failures before a target counts as unhealthy (2-10)'
            cand --health-codes 'Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)'
            cand --stickiness 'Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it'
            cand --access-logs 'Write access logs to this S3 bucket (its policy must admit ELB''s log delivery); off without it'
            cand --timeout 'Give up waiting (healthy targets, deletions) after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --deletion-protection 'Turn deletion protection on (destroy turns it off again before it deletes)'
            cand --no-wait 'Do not wait until the targets are healthy'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;load-balancer'= {
            cand --name 'The load balancer''s (and its target group''s) name [default: NAME-web]'
            cand --target 'Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are'
            cand --port 'The port the targets serve HTTP on'
            cand --health-path 'Health check: the URL path asked for'
            cand --health-interval 'Health check: seconds between checks (5-300)'
            cand --health-timeout 'Health check: seconds without an answer that fail a check (2-120, less than the interval)'
            cand --healthy-threshold 'Health check: consecutive successes before a target counts as healthy (2-10)'
            cand --unhealthy-threshold 'Health check: consecutive failures before a target counts as unhealthy (2-10)'
            cand --health-codes 'Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)'
            cand --stickiness 'Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it'
            cand --access-logs 'Write access logs to this S3 bucket (its policy must admit ELB''s log delivery); off without it'
            cand --timeout 'Give up waiting (healthy targets, deletions) after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --deletion-protection 'Turn deletion protection on (destroy turns it off again before it deletes)'
            cand --no-wait 'Do not wait until the targets are healthy'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;peer'= {
            cand --route-tables 'Which route tables of both sides get the route to the other side''s CIDR'
            cand --allow-from-peer 'Admit these TCP ports from the other side''s CIDR on the networks'' private groups (repeat or comma-separate)'
            cand --accepter-role-arn 'Accept (and route) on the other side with this role: needed when OTHER is in another account'
            cand --peer-region 'The region of OTHER when it is a network name or a bare VPC id [default: --region]'
            cand --timeout 'Give up waiting for the connection after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --delete 'Remove the peering: its routes on both sides, the rules admitting the peer, the connection'
            cand -y 'Do not ask before --delete; required when not on a terminal'
            cand --yes 'Do not ask before --delete; required when not on a terminal'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;help'= {
            cand create 'Create a network, or converge an existing one, and print its `vpc` document'
            cand show 'Print the `vpc` document of an existing network; changes nothing'
            cand destroy 'Delete everything the network''s tags say vpc-bootstrap created, in dependency order'
            cand lb 'Create or converge the network''s application load balancer and print its `load-balancer` document'
            cand peer 'Peer the network''s VPC with another network or VPC (routes on both sides) and print a `peering` document'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vpc-bootstrap;help;create'= {
        }
        &'vpc-bootstrap;help;show'= {
        }
        &'vpc-bootstrap;help;destroy'= {
        }
        &'vpc-bootstrap;help;lb'= {
        }
        &'vpc-bootstrap;help;peer'= {
        }
        &'vpc-bootstrap;help;help'= {
        }
    ]
    $completions[$command]
}
