# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_efs_mount_global_optspecs
    string join \n region= profile= endpoint-url= v/verbose q/quiet print-policy h/help V/version
end

function __fish_efs_mount_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_efs_mount_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_efs_mount_using_subcommand
    set -l cmd (__fish_efs_mount_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c efs-mount -n "__fish_efs_mount_needs_command" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c efs-mount -n "__fish_efs_mount_needs_command" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c efs-mount -n "__fish_efs_mount_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c efs-mount -n "__fish_efs_mount_needs_command" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -s V -l version -d 'Print version'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -f -a "create" -d 'Create or converge the file system, its security group, mount targets and access points'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -f -a "mount" -d 'Mount the file system on this host and keep its fstab line (run on the client)'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -f -a "unmount" -d 'Unmount a mount point and remove its fstab line (run on the client)'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -f -a "status" -d 'The `efs` document of an existing file system'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -f -a "destroy" -d 'Delete the mount targets, access points, file system and the security group efs-mount made'
complete -c efs-mount -n "__fish_efs_mount_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l name -d 'The file system\'s name: its creation token (re-runs find it) and Name tag' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l subnet -d 'A subnet for a mount target (one per AZ; repeat) [default: the private subnets of a piped `vpc` document]' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l client-sg -d 'A client security group admitted on NFS (repeat) [default: the web and private groups of a piped `vpc` document]' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l from -d 'Read the `vpc` document from FILE (`-` for stdin)' -r -F
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l kms-key -d 'KMS key for encryption at rest [default: the AWS-managed key]' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l performance-mode -r -f -a "generalPurpose\t''
maxIO\t''"
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l throughput-mode -r -f -a "elastic\t''
bursting\t''
provisioned\t''"
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l provisioned-mibps -d 'Throughput with --throughput-mode provisioned' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l ia-after-days -d 'Move files not read for this many days to Infrequent Access' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l access-point -d 'An access point UID:GID:/PATH (repeat)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l timeout -d 'Give up waiting for the file system and mount targets after this long' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l no-lifecycle -d 'Keep every file in Standard storage'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l no-backups -d 'Do not turn on automatic backups'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l require-tls -d 'A file-system policy that denies clients not using TLS'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand create" -s h -l help -d 'Print help'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l from -d 'Read the `efs` document from FILE (`-` for stdin) [default: stdin when piped]' -r -F
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l file-system -d 'The file system by name or id instead of a document (looked up in EFS)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l az -d 'This host\'s AZ (name or id) instead of asking instance metadata' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l imds-endpoint -d 'The instance metadata service [default: the SDK\'s, http://169.254.169.254; AWS_EC2_METADATA_DISABLED=true turns it off]' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l access-point -d 'Mount through this access point (needs amazon-efs-utils; checked to belong to the file system)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l helper -d 'Use amazon-efs-utils (mount -t efs, TLS) or the kernel NFS client [default: efs-utils when installed]' -r -f -a "efs\t''
nfs\t''"
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l address -d 'Connect to this address instead of the mount target\'s (unusual networks, tests)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l check-port -d 'The port the reachability check probes (the mount itself uses 2049)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l mount-program -d 'The mount program' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l fstab -d 'The fstab to keep the line in' -r -F
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l mounts-file -d 'The mount table that says what is mounted' -r -F
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l offline -d 'Trust the document without asking EFS (ids are still checked against their patterns): for hosts without elasticfilesystem:Describe* permissions'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l read-only -d 'Mount read-only'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l no-check -d 'Skip the TCP check of port 2049 before mounting'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand mount" -s h -l help -d 'Print help'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l umount-program -d 'The unmount program' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l fstab -d 'The fstab to keep the line in' -r -F
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l mounts-file -d 'The mount table that says what is mounted' -r -F
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -s y -l yes -d 'Do not ask; required when not on a terminal'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand unmount" -s h -l help -d 'Print help'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand status" -s h -l help -d 'Print help'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -l timeout -d 'Give up waiting for the mount targets and file system to be deleted after this long' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -s y -l yes -d 'Do not ask; required when not on a terminal'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand destroy" -s h -l help -d 'Print help'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand help; and not __fish_seen_subcommand_from create mount unmount status destroy help" -f -a "create" -d 'Create or converge the file system, its security group, mount targets and access points'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand help; and not __fish_seen_subcommand_from create mount unmount status destroy help" -f -a "mount" -d 'Mount the file system on this host and keep its fstab line (run on the client)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand help; and not __fish_seen_subcommand_from create mount unmount status destroy help" -f -a "unmount" -d 'Unmount a mount point and remove its fstab line (run on the client)'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand help; and not __fish_seen_subcommand_from create mount unmount status destroy help" -f -a "status" -d 'The `efs` document of an existing file system'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand help; and not __fish_seen_subcommand_from create mount unmount status destroy help" -f -a "destroy" -d 'Delete the mount targets, access points, file system and the security group efs-mount made'
complete -c efs-mount -n "__fish_efs_mount_using_subcommand help; and not __fish_seen_subcommand_from create mount unmount status destroy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
