
use builtin;
use str;

set edit:completion:arg-completer[ami-snap] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ami-snap'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ami-snap'= {
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
            cand create 'Create an AMI of each instance selected, tagged, and wait until it is available'
            cand snapshot 'Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete'
            cand copy 'Copy images to other regions, encrypted if asked; a region already holding a copy is skipped'
            cand share 'Give accounts launch permission on images and create-volume permission on their snapshots'
            cand unshare 'Take back what share gave'
            cand prune 'Deregister images (and delete their snapshots) that a retention rule does not keep'
            cand list 'Print the images ami-snap manages, as `ami` documents'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ami-snap;create'= {
            cand --instance 'Instances to image (repeat or comma-separate)'
            cand --select 'Image every instance with this tag (repeatable)'
            cand --name 'The image name: {name} (the instance''s Name tag, else its id), {instance}, {date}, {time}, {timestamp}'
            cand --group 'The retention group prune uses [default: the instance''s Name tag, else its id]'
            cand --tag 'An extra tag on the image and its snapshots (repeatable)'
            cand --lock 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]'
            cand --jobs 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs'
            cand --timeout 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h'
            cand --accounts 'Run in each of these accounts (12-digit ids), assuming --role-name in each'
            cand --ou 'With --org: only the accounts under these OUs (child OUs included)'
            cand --exclude-accounts 'Leave these accounts out'
            cand --role-name 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role'
            cand --external-id 'The external id the fleet role''s trust policy asks for'
            cand --shard 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --reboot 'Reboot the instance for a file-system-consistent image [default: no reboot]'
            cand --no-wait 'Print the documents as soon as the images are requested, without waiting'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --org 'Run in every ACTIVE account of the caller''s AWS Organization'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ami-snap;snapshot'= {
            cand --volume 'Volumes to snapshot (repeat or comma-separate)'
            cand --instance 'Snapshot every EBS volume attached to this instance'
            cand --group 'The retention group tag [default: the instance''s or volume''s Name tag, else its id]'
            cand --tag 'An extra tag on the snapshots (repeatable)'
            cand --lock 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]'
            cand --jobs 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs'
            cand --timeout 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --no-wait 'Print the documents as soon as the snapshots are started, without waiting'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ami-snap;copy'= {
            cand --to 'Regions to copy to (repeat or comma-separate)'
            cand --image 'Images to copy from the configured region, instead of `ami` documents on stdin'
            cand --from 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file'
            cand --kms-key 'The KMS key for one region''s copies: REGION=KEY_ID_OR_ARN (repeatable)'
            cand --lock 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]'
            cand --jobs 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs'
            cand --timeout 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h'
            cand --accounts 'Run in each of these accounts (12-digit ids), assuming --role-name in each'
            cand --ou 'With --org: only the accounts under these OUs (child OUs included)'
            cand --exclude-accounts 'Leave these accounts out'
            cand --role-name 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role'
            cand --external-id 'The external id the fleet role''s trust policy asks for'
            cand --shard 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --encrypt 'Encrypt the copies with the region''s default EBS key unless --kms-key names one (the default; kept for scripts that pass it)'
            cand --no-encrypt 'Do not encrypt the copies (their volumes keep the source''s encryption)'
            cand --no-wait 'Print the documents as soon as the copies are requested, without waiting'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --org 'Run in every ACTIVE account of the caller''s AWS Organization'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ami-snap;share'= {
            cand --account 'Account ids (12 digits; repeat or comma-separate)'
            cand --image 'Images in the configured region, instead of `ami` documents on stdin'
            cand --from 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file'
            cand --lock 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]'
            cand --jobs 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs'
            cand --timeout 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ami-snap;unshare'= {
            cand --account 'Account ids (12 digits; repeat or comma-separate)'
            cand --image 'Images in the configured region, instead of `ami` documents on stdin'
            cand --from 'Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file'
            cand --lock 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]'
            cand --jobs 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs'
            cand --timeout 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ami-snap;prune'= {
            cand --keep 'Keep the N newest images of each group'
            cand --max-age 'Keep every image younger than this, e.g. 30d'
            cand --min-age 'Never prune an image younger than this, whatever the rest of the rule says'
            cand --group 'Only these groups (the awsops:group tag ami-snap create sets; repeat or comma-separate)'
            cand --name-prefix 'Instead of ami-snap''s images: your images whose names start with PREFIX, as one group'
            cand --regions 'Regions to prune in [default: the configured region]; with --accounts or --org, `all` is every enabled region'
            cand --lock 'The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]'
            cand --jobs 'At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs'
            cand --timeout 'Give up waiting for images and snapshots after this long, e.g. 30m, 2h'
            cand --accounts 'Run in each of these accounts (12-digit ids), assuming --role-name in each'
            cand --ou 'With --org: only the accounts under these OUs (child OUs included)'
            cand --exclude-accounts 'Leave these accounts out'
            cand --role-name 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role'
            cand --external-id 'The external id the fleet role''s trust policy asks for'
            cand --shard 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand -y 'Do not ask; required when not on a terminal'
            cand --yes 'Do not ask; required when not on a terminal'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --org 'Run in every ACTIVE account of the caller''s AWS Organization'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ami-snap;list'= {
            cand --regions 'Regions to list [default: the configured region]; with --accounts or --org, `all` is every enabled region'
            cand --jobs 'With --accounts or --org: at most this many (account, region) pairs listed at once'
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
        &'ami-snap;help'= {
            cand create 'Create an AMI of each instance selected, tagged, and wait until it is available'
            cand snapshot 'Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete'
            cand copy 'Copy images to other regions, encrypted if asked; a region already holding a copy is skipped'
            cand share 'Give accounts launch permission on images and create-volume permission on their snapshots'
            cand unshare 'Take back what share gave'
            cand prune 'Deregister images (and delete their snapshots) that a retention rule does not keep'
            cand list 'Print the images ami-snap manages, as `ami` documents'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ami-snap;help;create'= {
        }
        &'ami-snap;help;snapshot'= {
        }
        &'ami-snap;help;copy'= {
        }
        &'ami-snap;help;share'= {
        }
        &'ami-snap;help;unshare'= {
        }
        &'ami-snap;help;prune'= {
        }
        &'ami-snap;help;list'= {
        }
        &'ami-snap;help;help'= {
        }
    ]
    $completions[$command]
}
