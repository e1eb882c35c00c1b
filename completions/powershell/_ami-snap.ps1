
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ami-snap' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ami-snap'
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
        'ami-snap' {
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
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an AMI of each instance selected, tagged, and wait until it is available')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy images to other regions, encrypted if asked; a region already holding a copy is skipped')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Give accounts launch permission on images and create-volume permission on their snapshots')
            [CompletionResult]::new('unshare', 'unshare', [CompletionResultType]::ParameterValue, 'Take back what share gave')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Deregister images (and delete their snapshots) that a retention rule does not keep')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print the images ami-snap manages, as `ami` documents')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ami-snap;create' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'Instances to image (repeat or comma-separate)')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Image every instance with this tag (repeatable)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The image name: {name} (the instance''s Name tag, else its id), {instance}, {date}, {time}, {timestamp}')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The retention group prune uses [default: the instance''s Name tag, else its id]')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'An extra tag on the image and its snapshots (repeatable)')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Run in each of these accounts (12-digit ids), assuming --role-name in each')
            [CompletionResult]::new('--ou', '--ou', [CompletionResultType]::ParameterName, 'With --org: only the accounts under these OUs (child OUs included)')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the fleet role''s trust policy asks for')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--reboot', '--reboot', [CompletionResultType]::ParameterName, 'Reboot the instance for a file-system-consistent image [default: no reboot]')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Print the documents as soon as the images are requested, without waiting')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
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
        'ami-snap;snapshot' {
            [CompletionResult]::new('--volume', '--volume', [CompletionResultType]::ParameterName, 'Volumes to snapshot (repeat or comma-separate)')
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'Snapshot every EBS volume attached to this instance')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The retention group tag [default: the instance''s or volume''s Name tag, else its id]')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'An extra tag on the snapshots (repeatable)')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Print the documents as soon as the snapshots are started, without waiting')
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
        'ami-snap;copy' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Regions to copy to (repeat or comma-separate)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Images to copy from the configured region, instead of `ami` documents on stdin')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file')
            [CompletionResult]::new('--kms-key', '--kms-key', [CompletionResultType]::ParameterName, 'The KMS key for one region''s copies: REGION=KEY_ID_OR_ARN (repeatable)')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Run in each of these accounts (12-digit ids), assuming --role-name in each')
            [CompletionResult]::new('--ou', '--ou', [CompletionResultType]::ParameterName, 'With --org: only the accounts under these OUs (child OUs included)')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the fleet role''s trust policy asks for')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--encrypt', '--encrypt', [CompletionResultType]::ParameterName, 'Encrypt the copies with the region''s default EBS key unless --kms-key names one (the default; kept for scripts that pass it)')
            [CompletionResult]::new('--no-encrypt', '--no-encrypt', [CompletionResultType]::ParameterName, 'Do not encrypt the copies (their volumes keep the source''s encryption)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Print the documents as soon as the copies are requested, without waiting')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
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
        'ami-snap;share' {
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Account ids (12 digits; repeat or comma-separate)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Images in the configured region, instead of `ami` documents on stdin')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
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
        'ami-snap;unshare' {
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Account ids (12 digits; repeat or comma-separate)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Images in the configured region, instead of `ami` documents on stdin')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
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
        'ami-snap;prune' {
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the N newest images of each group')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Keep every image younger than this, e.g. 30d')
            [CompletionResult]::new('--min-age', '--min-age', [CompletionResultType]::ParameterName, 'Never prune an image younger than this, whatever the rest of the rule says')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Only these groups (the awsops:group tag ami-snap create sets; repeat or comma-separate)')
            [CompletionResult]::new('--name-prefix', '--name-prefix', [CompletionResultType]::ParameterName, 'Instead of ami-snap''s images: your images whose names start with PREFIX, as one group')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Regions to prune in [default: the configured region]; with --accounts or --org, `all` is every enabled region')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Run in each of these accounts (12-digit ids), assuming --role-name in each')
            [CompletionResult]::new('--ou', '--ou', [CompletionResultType]::ParameterName, 'With --org: only the accounts under these OUs (child OUs included)')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the fleet role''s trust policy asks for')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required when not on a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required when not on a terminal')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
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
        'ami-snap;list' {
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Regions to list [default: the configured region]; with --accounts or --org, `all` is every enabled region')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --accounts or --org: at most this many (account, region) pairs listed at once')
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
        'ami-snap;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an AMI of each instance selected, tagged, and wait until it is available')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy images to other regions, encrypted if asked; a region already holding a copy is skipped')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Give accounts launch permission on images and create-volume permission on their snapshots')
            [CompletionResult]::new('unshare', 'unshare', [CompletionResultType]::ParameterValue, 'Take back what share gave')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Deregister images (and delete their snapshots) that a retention rule does not keep')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print the images ami-snap manages, as `ami` documents')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ami-snap;help;create' {
            break
        }
        'ami-snap;help;snapshot' {
            break
        }
        'ami-snap;help;copy' {
            break
        }
        'ami-snap;help;share' {
            break
        }
        'ami-snap;help;unshare' {
            break
        }
        'ami-snap;help;prune' {
            break
        }
        'ami-snap;help;list' {
            break
        }
        'ami-snap;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
