
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'efs-mount' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'efs-mount'
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
        'efs-mount' {
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
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create or converge the file system, its security group, mount targets and access points')
            [CompletionResult]::new('mount', 'mount', [CompletionResultType]::ParameterValue, 'Mount the file system on this host and keep its fstab line (run on the client)')
            [CompletionResult]::new('unmount', 'unmount', [CompletionResultType]::ParameterValue, 'Unmount a mount point and remove its fstab line (run on the client)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The `efs` document of an existing file system')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete the mount targets, access points, file system and the security group efs-mount made')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'efs-mount;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The file system''s name: its creation token (re-runs find it) and Name tag')
            [CompletionResult]::new('--subnet', '--subnet', [CompletionResultType]::ParameterName, 'A subnet for a mount target (one per AZ; repeat) [default: the private subnets of a piped `vpc` document]')
            [CompletionResult]::new('--client-sg', '--client-sg', [CompletionResultType]::ParameterName, 'A client security group admitted on NFS (repeat) [default: the web and private groups of a piped `vpc` document]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the `vpc` document from FILE (`-` for stdin)')
            [CompletionResult]::new('--kms-key', '--kms-key', [CompletionResultType]::ParameterName, 'KMS key for encryption at rest [default: the AWS-managed key]')
            [CompletionResult]::new('--performance-mode', '--performance-mode', [CompletionResultType]::ParameterName, 'performance-mode')
            [CompletionResult]::new('--throughput-mode', '--throughput-mode', [CompletionResultType]::ParameterName, 'throughput-mode')
            [CompletionResult]::new('--provisioned-mibps', '--provisioned-mibps', [CompletionResultType]::ParameterName, 'Throughput with --throughput-mode provisioned')
            [CompletionResult]::new('--ia-after-days', '--ia-after-days', [CompletionResultType]::ParameterName, 'Move files not read for this many days to Infrequent Access')
            [CompletionResult]::new('--access-point', '--access-point', [CompletionResultType]::ParameterName, 'An access point UID:GID:/PATH (repeat)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for the file system and mount targets after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--no-lifecycle', '--no-lifecycle', [CompletionResultType]::ParameterName, 'Keep every file in Standard storage')
            [CompletionResult]::new('--no-backups', '--no-backups', [CompletionResultType]::ParameterName, 'Do not turn on automatic backups')
            [CompletionResult]::new('--require-tls', '--require-tls', [CompletionResultType]::ParameterName, 'A file-system policy that denies clients not using TLS')
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
        'efs-mount;mount' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the `efs` document from FILE (`-` for stdin) [default: stdin when piped]')
            [CompletionResult]::new('--file-system', '--file-system', [CompletionResultType]::ParameterName, 'The file system by name or id instead of a document (looked up in EFS)')
            [CompletionResult]::new('--az', '--az', [CompletionResultType]::ParameterName, 'This host''s AZ (name or id) instead of asking instance metadata')
            [CompletionResult]::new('--imds-endpoint', '--imds-endpoint', [CompletionResultType]::ParameterName, 'The instance metadata service [default: the SDK''s, http://169.254.169.254; AWS_EC2_METADATA_DISABLED=true turns it off]')
            [CompletionResult]::new('--access-point', '--access-point', [CompletionResultType]::ParameterName, 'Mount through this access point (needs amazon-efs-utils; checked to belong to the file system)')
            [CompletionResult]::new('--helper', '--helper', [CompletionResultType]::ParameterName, 'Use amazon-efs-utils (mount -t efs, TLS) or the kernel NFS client [default: efs-utils when installed]')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Connect to this address instead of the mount target''s (unusual networks, tests)')
            [CompletionResult]::new('--check-port', '--check-port', [CompletionResultType]::ParameterName, 'The port the reachability check probes (the mount itself uses 2049)')
            [CompletionResult]::new('--mount-program', '--mount-program', [CompletionResultType]::ParameterName, 'The mount program')
            [CompletionResult]::new('--fstab', '--fstab', [CompletionResultType]::ParameterName, 'The fstab to keep the line in')
            [CompletionResult]::new('--mounts-file', '--mounts-file', [CompletionResultType]::ParameterName, 'The mount table that says what is mounted')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Trust the document without asking EFS (ids are still checked against their patterns): for hosts without elasticfilesystem:Describe* permissions')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Mount read-only')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Skip the TCP check of port 2049 before mounting')
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
        'efs-mount;unmount' {
            [CompletionResult]::new('--umount-program', '--umount-program', [CompletionResultType]::ParameterName, 'The unmount program')
            [CompletionResult]::new('--fstab', '--fstab', [CompletionResultType]::ParameterName, 'The fstab to keep the line in')
            [CompletionResult]::new('--mounts-file', '--mounts-file', [CompletionResultType]::ParameterName, 'The mount table that says what is mounted')
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
        'efs-mount;status' {
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
        'efs-mount;destroy' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for the mount targets and file system to be deleted after this long')
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
        'efs-mount;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create or converge the file system, its security group, mount targets and access points')
            [CompletionResult]::new('mount', 'mount', [CompletionResultType]::ParameterValue, 'Mount the file system on this host and keep its fstab line (run on the client)')
            [CompletionResult]::new('unmount', 'unmount', [CompletionResultType]::ParameterValue, 'Unmount a mount point and remove its fstab line (run on the client)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The `efs` document of an existing file system')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete the mount targets, access points, file system and the security group efs-mount made')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'efs-mount;help;create' {
            break
        }
        'efs-mount;help;mount' {
            break
        }
        'efs-mount;help;unmount' {
            break
        }
        'efs-mount;help;status' {
            break
        }
        'efs-mount;help;destroy' {
            break
        }
        'efs-mount;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
