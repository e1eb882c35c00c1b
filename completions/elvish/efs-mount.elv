
use builtin;
use str;

set edit:completion:arg-completer[efs-mount] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'efs-mount'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'efs-mount'= {
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
            cand create 'Create or converge the file system, its security group, mount targets and access points'
            cand mount 'Mount the file system on this host and keep its fstab line (run on the client)'
            cand unmount 'Unmount a mount point and remove its fstab line (run on the client)'
            cand status 'The `efs` document of an existing file system'
            cand destroy 'Delete the mount targets, access points, file system and the security group efs-mount made'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'efs-mount;create'= {
            cand --name 'The file system''s name: its creation token (re-runs find it) and Name tag'
            cand --subnet 'A subnet for a mount target (one per AZ; repeat) [default: the private subnets of a piped `vpc` document]'
            cand --client-sg 'A client security group admitted on NFS (repeat) [default: the web and private groups of a piped `vpc` document]'
            cand --from 'Read the `vpc` document from FILE (`-` for stdin)'
            cand --kms-key 'KMS key for encryption at rest [default: the AWS-managed key]'
            cand --performance-mode 'performance-mode'
            cand --throughput-mode 'throughput-mode'
            cand --provisioned-mibps 'Throughput with --throughput-mode provisioned'
            cand --ia-after-days 'Move files not read for this many days to Infrequent Access'
            cand --access-point 'An access point UID:GID:/PATH (repeat)'
            cand --timeout 'Give up waiting for the file system and mount targets after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --no-lifecycle 'Keep every file in Standard storage'
            cand --no-backups 'Do not turn on automatic backups'
            cand --require-tls 'A file-system policy that denies clients not using TLS'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'efs-mount;mount'= {
            cand --from 'Read the `efs` document from FILE (`-` for stdin) [default: stdin when piped]'
            cand --file-system 'The file system by name or id instead of a document (looked up in EFS)'
            cand --az 'This host''s AZ (name or id) instead of asking instance metadata'
            cand --imds-endpoint 'The instance metadata service [default: the SDK''s, http://169.254.169.254; AWS_EC2_METADATA_DISABLED=true turns it off]'
            cand --access-point 'Mount through this access point (needs amazon-efs-utils; checked to belong to the file system)'
            cand --helper 'Use amazon-efs-utils (mount -t efs, TLS) or the kernel NFS client [default: efs-utils when installed]'
            cand --address 'Connect to this address instead of the mount target''s (unusual networks, tests)'
            cand --check-port 'The port the reachability check probes (the mount itself uses 2049)'
            cand --mount-program 'The mount program'
            cand --fstab 'The fstab to keep the line in'
            cand --mounts-file 'The mount table that says what is mounted'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --offline 'Trust the document without asking EFS (ids are still checked against their patterns): for hosts without elasticfilesystem:Describe* permissions'
            cand --read-only 'Mount read-only'
            cand --no-check 'Skip the TCP check of port 2049 before mounting'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'efs-mount;unmount'= {
            cand --umount-program 'The unmount program'
            cand --fstab 'The fstab to keep the line in'
            cand --mounts-file 'The mount table that says what is mounted'
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
        &'efs-mount;status'= {
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'efs-mount;destroy'= {
            cand --timeout 'Give up waiting for the mount targets and file system to be deleted after this long'
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
        &'efs-mount;help'= {
            cand create 'Create or converge the file system, its security group, mount targets and access points'
            cand mount 'Mount the file system on this host and keep its fstab line (run on the client)'
            cand unmount 'Unmount a mount point and remove its fstab line (run on the client)'
            cand status 'The `efs` document of an existing file system'
            cand destroy 'Delete the mount targets, access points, file system and the security group efs-mount made'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'efs-mount;help;create'= {
        }
        &'efs-mount;help;mount'= {
        }
        &'efs-mount;help;unmount'= {
        }
        &'efs-mount;help;status'= {
        }
        &'efs-mount;help;destroy'= {
        }
        &'efs-mount;help;help'= {
        }
    ]
    $completions[$command]
}
