
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
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan as JSON and change nothing')
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
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
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
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the teardown plan as JSON and change nothing')
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
        'vpc-bootstrap;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
