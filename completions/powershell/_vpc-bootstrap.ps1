
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'vpc-bootstrap' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'vpc-bootstrap'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'vpc-bootstrap' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a network, or converge an existing one, and print its `vpc` document')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the `vpc` document of an existing network; changes nothing')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete everything the network''s tags say vpc-bootstrap created, in dependency order')
            [CompletionResult]::new('lb', 'lb', [CompletionResultType]::ParameterValue, 'Create or converge the network''s application load balancer and print its `load-balancer` document')
            [CompletionResult]::new('load-balancer', 'load-balancer', [CompletionResultType]::ParameterValue, 'Create or converge the network''s application load balancer and print its `load-balancer` document')
            [CompletionResult]::new('peer', 'peer', [CompletionResultType]::ParameterValue, 'Peer the network''s VPC with another network or VPC (routes on both sides) and print a `peering` document')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vpc-bootstrap;create' {
            [CompletionResult]::new('--cidr', '--cidr', [CompletionResultType]::ParameterName, 'The VPC''s IPv4 CIDR (/16 to /28, in a private range)')
            [CompletionResult]::new('--azs', '--azs', [CompletionResultType]::ParameterName, 'Use the region''s first N AZs')
            [CompletionResult]::new('--az', '--az', [CompletionResultType]::ParameterName, 'Use these AZs, by letter or full name (repeat or comma-separate: --az a,c)')
            [CompletionResult]::new('--public-per-az', '--public-per-az', [CompletionResultType]::ParameterName, 'Public subnets per AZ')
            [CompletionResult]::new('--private-per-az', '--private-per-az', [CompletionResultType]::ParameterName, 'Private subnets per AZ')
            [CompletionResult]::new('--subnet-prefix', '--subnet-prefix', [CompletionResultType]::ParameterName, 'Subnet size as a prefix length [default: VPC prefix + 8, at most 28]')
            [CompletionResult]::new('--subnet', '--subnet', [CompletionResultType]::ParameterName, 'An explicit subnet, overriding a planned one of the same name: name=…,cidr=…,az=…[,tier=public|private]')
            [CompletionResult]::new('--nat', '--nat', [CompletionResultType]::ParameterName, 'NAT gateways for the private subnets')
            [CompletionResult]::new('--nat-eip', '--nat-eip', [CompletionResultType]::ParameterName, 'Use this Elastic IP allocation for a NAT gateway instead of allocating one (repeat, in AZ order); never released')
            [CompletionResult]::new('--web-port', '--web-port', [CompletionResultType]::ParameterName, 'Ports the web group opens')
            [CompletionResult]::new('--web-from', '--web-from', [CompletionResultType]::ParameterName, 'Where the web group admits traffic from')
            [CompletionResult]::new('--ssh-from', '--ssh-from', [CompletionResultType]::ParameterName, 'Where the bastion group admits SSH from [default: your public IP/32, detected over HTTPS]')
            [CompletionResult]::new('--private-route-tables', '--private-route-tables', [CompletionResultType]::ParameterName, 'Private route tables: one per AZ, or one per private subnet (the reference lab''s layout); a change re-associates the subnets and deletes the tables left over')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Gateway endpoints on the private route tables (repeat or comma-separate)')
            [CompletionResult]::new('--bastion-ami', '--bastion-ami', [CompletionResultType]::ParameterName, 'The bastion''s AMI [default: latest Amazon Linux 2023, from SSM]')
            [CompletionResult]::new('--bastion-type', '--bastion-type', [CompletionResultType]::ParameterName, 'The bastion''s instance type')
            [CompletionResult]::new('--key-name', '--key-name', [CompletionResultType]::ParameterName, 'The EC2 key pair the bastion accepts')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting (NAT gateways, the bastion) after this long, e.g. 90s, 15m')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--force-cidr', '--force-cidr', [CompletionResultType]::ParameterName, 'Allow a VPC CIDR outside the private ranges')
            [CompletionResult]::new('--allow-ssh-from-anywhere', '--allow-ssh-from-anywhere', [CompletionResultType]::ParameterName, 'Allow --ssh-from networks that together cover more than a /8 (0.0.0.0/0: SSH from the whole internet)')
            [CompletionResult]::new('--bastion', '--bastion', [CompletionResultType]::ParameterName, 'Launch a bastion host in the first public subnet')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'vpc-bootstrap;show' {
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'With --accounts or --org: the regions to look in (`all`: every enabled region) [default: the configured region]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --accounts or --org: at most this many (account, region) pairs at once')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Run in each of these accounts (12-digit ids), assuming --role-name in each')
            [CompletionResult]::new('--ou', '--ou', [CompletionResultType]::ParameterName, 'With --org: only the accounts under these OUs (child OUs included)')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the fleet role''s trust policy asks for')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Run in every ACTIVE account of the caller''s AWS Organization')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vpc-bootstrap;destroy' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting (NAT gateways, instances, draining interfaces) after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required when not on a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required when not on a terminal')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vpc-bootstrap;lb' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The load balancer''s (and its target group''s) name [default: NAME-web]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port the targets serve HTTP on')
            [CompletionResult]::new('--health-path', '--health-path', [CompletionResultType]::ParameterName, 'Health check: the URL path asked for')
            [CompletionResult]::new('--health-interval', '--health-interval', [CompletionResultType]::ParameterName, 'Health check: seconds between checks (5-300)')
            [CompletionResult]::new('--health-timeout', '--health-timeout', [CompletionResultType]::ParameterName, 'Health check: seconds without an answer that fail a check (2-120, less than the interval)')
            [CompletionResult]::new('--healthy-threshold', '--healthy-threshold', [CompletionResultType]::ParameterName, 'Health check: consecutive successes before a target counts as healthy (2-10)')
            [CompletionResult]::new('--unhealthy-threshold', '--unhealthy-threshold', [CompletionResultType]::ParameterName, 'Health check: consecutive failures before a target counts as unhealthy (2-10)')
            [CompletionResult]::new('--health-codes', '--health-codes', [CompletionResultType]::ParameterName, 'Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)')
            [CompletionResult]::new('--stickiness', '--stickiness', [CompletionResultType]::ParameterName, 'Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it')
            [CompletionResult]::new('--access-logs', '--access-logs', [CompletionResultType]::ParameterName, 'Write access logs to this S3 bucket (its policy must admit ELB''s log delivery); off without it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting (healthy targets, deletions) after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--deletion-protection', '--deletion-protection', [CompletionResultType]::ParameterName, 'Turn deletion protection on (destroy turns it off again before it deletes)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait until the targets are healthy')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vpc-bootstrap;load-balancer' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The load balancer''s (and its target group''s) name [default: NAME-web]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port the targets serve HTTP on')
            [CompletionResult]::new('--health-path', '--health-path', [CompletionResultType]::ParameterName, 'Health check: the URL path asked for')
            [CompletionResult]::new('--health-interval', '--health-interval', [CompletionResultType]::ParameterName, 'Health check: seconds between checks (5-300)')
            [CompletionResult]::new('--health-timeout', '--health-timeout', [CompletionResultType]::ParameterName, 'Health check: seconds without an answer that fail a check (2-120, less than the interval)')
            [CompletionResult]::new('--healthy-threshold', '--healthy-threshold', [CompletionResultType]::ParameterName, 'Health check: consecutive successes before a target counts as healthy (2-10)')
            [CompletionResult]::new('--unhealthy-threshold', '--unhealthy-threshold', [CompletionResultType]::ParameterName, 'Health check: consecutive failures before a target counts as unhealthy (2-10)')
            [CompletionResult]::new('--health-codes', '--health-codes', [CompletionResultType]::ParameterName, 'Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)')
            [CompletionResult]::new('--stickiness', '--stickiness', [CompletionResultType]::ParameterName, 'Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it')
            [CompletionResult]::new('--access-logs', '--access-logs', [CompletionResultType]::ParameterName, 'Write access logs to this S3 bucket (its policy must admit ELB''s log delivery); off without it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting (healthy targets, deletions) after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--deletion-protection', '--deletion-protection', [CompletionResultType]::ParameterName, 'Turn deletion protection on (destroy turns it off again before it deletes)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait until the targets are healthy')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vpc-bootstrap;peer' {
            [CompletionResult]::new('--route-tables', '--route-tables', [CompletionResultType]::ParameterName, 'Which route tables of both sides get the route to the other side''s CIDR')
            [CompletionResult]::new('--allow-from-peer', '--allow-from-peer', [CompletionResultType]::ParameterName, 'Admit these TCP ports from the other side''s CIDR on the networks'' private groups (repeat or comma-separate)')
            [CompletionResult]::new('--accepter-role-arn', '--accepter-role-arn', [CompletionResultType]::ParameterName, 'Accept (and route) on the other side with this role: needed when OTHER is in another account')
            [CompletionResult]::new('--peer-region', '--peer-region', [CompletionResultType]::ParameterName, 'The region of OTHER when it is a network name or a bare VPC id [default: --region]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for the connection after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Remove the peering: its routes on both sides, the rules admitting the peer, the connection')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before --delete; required when not on a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before --delete; required when not on a terminal')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'vpc-bootstrap;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a network, or converge an existing one, and print its `vpc` document')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the `vpc` document of an existing network; changes nothing')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete everything the network''s tags say vpc-bootstrap created, in dependency order')
            [CompletionResult]::new('lb', 'lb', [CompletionResultType]::ParameterValue, 'Create or converge the network''s application load balancer and print its `load-balancer` document')
            [CompletionResult]::new('peer', 'peer', [CompletionResultType]::ParameterValue, 'Peer the network''s VPC with another network or VPC (routes on both sides) and print a `peering` document')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vpc-bootstrap;help;create' {
            break
        }
        'vpc-bootstrap;help;show' {
            break
        }
        'vpc-bootstrap;help;destroy' {
            break
        }
        'vpc-bootstrap;help;lb' {
            break
        }
        'vpc-bootstrap;help;peer' {
            break
        }
        'vpc-bootstrap;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
