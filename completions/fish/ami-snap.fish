# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ami_snap_global_optspecs
    string join \n region= profile= endpoint-url= v/verbose q/quiet print-policy h/help V/version
end

function __fish_ami_snap_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ami_snap_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ami_snap_using_subcommand
    set -l cmd (__fish_ami_snap_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ami-snap -n "__fish_ami_snap_needs_command" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_needs_command" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_needs_command" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -s V -l version -d 'Print version'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "create" -d 'Create an AMI of each instance selected, tagged, and wait until it is available'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "snapshot" -d 'Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "copy" -d 'Copy images to other regions, encrypted if asked; a region already holding a copy is skipped'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "share" -d 'Give accounts launch permission on images and create-volume permission on their snapshots'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "unshare" -d 'Take back what share gave'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "prune" -d 'Deregister images (and delete their snapshots) that a retention rule does not keep'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "list" -d 'Print the images ami-snap manages, as `ami` documents'
complete -c ami-snap -n "__fish_ami_snap_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l instance -d 'Instances to image (repeat or comma-separate)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l select -d 'Image every instance with this tag (repeatable)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l name -d 'The image name: {name} (the instance\'s Name tag, else its id), {instance}, {date}, {time}, {timestamp}' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l group -d 'The retention group prune uses [default: the instance\'s Name tag, else its id]' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l tag -d 'An extra tag on the image and its snapshots (repeatable)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l lock -d 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l jobs -d 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l timeout -d 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l accounts -d 'Run in each of these accounts (12-digit ids), assuming --role-name in each' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l ou -d 'With --org: only the accounts under these OUs (child OUs included)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l exclude-accounts -d 'Leave these accounts out' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l role-name -d 'The role assumed in each account (the caller\'s own account is used directly); for audits, a read-only role' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l external-id -d 'The external id the fleet role\'s trust policy asks for' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l shard -d 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l reboot -d 'Reboot the instance for a file-system-consistent image [default: no reboot]'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l no-wait -d 'Print the documents as soon as the images are requested, without waiting'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l org -d 'Run in every ACTIVE account of the caller\'s AWS Organization'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand create" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l volume -d 'Volumes to snapshot (repeat or comma-separate)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l instance -d 'Snapshot every EBS volume attached to this instance' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l group -d 'The retention group tag [default: the instance\'s or volume\'s Name tag, else its id]' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l tag -d 'An extra tag on the snapshots (repeatable)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l lock -d 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l jobs -d 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l timeout -d 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l no-wait -d 'Print the documents as soon as the snapshots are started, without waiting'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l to -d 'Regions to copy to (repeat or comma-separate)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l image -d 'Images to copy from the configured region, instead of `ami` documents on stdin' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l from -d 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l kms-key -d 'The KMS key for one region\'s copies: REGION=KEY_ID_OR_ARN (repeatable)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l lock -d 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l jobs -d 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l timeout -d 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l accounts -d 'Run in each of these accounts (12-digit ids), assuming --role-name in each' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l ou -d 'With --org: only the accounts under these OUs (child OUs included)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l exclude-accounts -d 'Leave these accounts out' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l role-name -d 'The role assumed in each account (the caller\'s own account is used directly); for audits, a read-only role' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l external-id -d 'The external id the fleet role\'s trust policy asks for' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l shard -d 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l encrypt -d 'Encrypt the copies with the region\'s default EBS key unless --kms-key names one (the default; kept for scripts that pass it)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l no-encrypt -d 'Do not encrypt the copies (their volumes keep the source\'s encryption)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l no-wait -d 'Print the documents as soon as the copies are requested, without waiting'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l org -d 'Run in every ACTIVE account of the caller\'s AWS Organization'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand copy" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l account -d 'Account ids (12 digits; repeat or comma-separate)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l image -d 'Images in the configured region, instead of `ami` documents on stdin' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l from -d 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l lock -d 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l jobs -d 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l timeout -d 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand share" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l account -d 'Account ids (12 digits; repeat or comma-separate)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l image -d 'Images in the configured region, instead of `ami` documents on stdin' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l from -d 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l lock -d 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l jobs -d 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l timeout -d 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand unshare" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l keep -d 'Keep the N newest images of each group' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l max-age -d 'Keep every image younger than this, e.g. 30d' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l min-age -d 'Never prune an image younger than this, whatever the rest of the rule says' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l group -d 'Only these groups (the awsops:group tag ami-snap create sets; repeat or comma-separate)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l name-prefix -d 'Instead of ami-snap\'s images: your images whose names start with PREFIX, as one group' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l regions -d 'Regions to prune in [default: the configured region]; with --accounts or --org, `all` is every enabled region' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l lock -d 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]' -r -F
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l jobs -d 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l timeout -d 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l accounts -d 'Run in each of these accounts (12-digit ids), assuming --role-name in each' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l ou -d 'With --org: only the accounts under these OUs (child OUs included)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l exclude-accounts -d 'Leave these accounts out' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l role-name -d 'The role assumed in each account (the caller\'s own account is used directly); for audits, a read-only role' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l external-id -d 'The external id the fleet role\'s trust policy asks for' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l shard -d 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -s y -l yes -d 'Do not ask; required when not on a terminal'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l org -d 'Run in every ACTIVE account of the caller\'s AWS Organization'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand prune" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l regions -d 'Regions to list [default: the configured region]; with --accounts or --org, `all` is every enabled region' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l jobs -d 'With --accounts or --org: at most this many (account, region) pairs listed at once' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l accounts -d 'Run in each of these accounts (12-digit ids), assuming --role-name in each' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l ou -d 'With --org: only the accounts under these OUs (child OUs included)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l exclude-accounts -d 'Leave these accounts out' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l role-name -d 'The role assumed in each account (the caller\'s own account is used directly); for audits, a read-only role' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l external-id -d 'The external id the fleet role\'s trust policy asks for' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l shard -d 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l org -d 'Run in every ACTIVE account of the caller\'s AWS Organization'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand list" -s h -l help -d 'Print help'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "create" -d 'Create an AMI of each instance selected, tagged, and wait until it is available'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "snapshot" -d 'Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "copy" -d 'Copy images to other regions, encrypted if asked; a region already holding a copy is skipped'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "share" -d 'Give accounts launch permission on images and create-volume permission on their snapshots'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "unshare" -d 'Take back what share gave'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "prune" -d 'Deregister images (and delete their snapshots) that a retention rule does not keep'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "list" -d 'Print the images ami-snap manages, as `ami` documents'
complete -c ami-snap -n "__fish_ami_snap_using_subcommand help; and not __fish_seen_subcommand_from create snapshot copy share unshare prune list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
