
use builtin;
use str;

set edit:completion:arg-completer[iam-audit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'iam-audit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'iam-audit'= {
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --offline 'Audit this saved get-account-authorization-details JSON instead of calling AWS'
            cand --credential-report 'With --offline: a saved credential report (CSV) for the credential checks'
            cand --format 'format'
            cand --fail-on 'Exit 3 when an unsuppressed finding is at or above this severity'
            cand --suppressions 'Accepted findings: a JSON list of {check, resource, reason, expires}'
            cand --key-max-age 'Flag access keys older than this many days'
            cand --unused-days 'Flag access keys and passwords unused for this many days'
            cand --role-unused-days 'Flag roles unused for this many days'
            cand --root-recent-days 'Flag root use within this many days'
            cand --min-password-length 'The password length the policy must require at least'
            cand --jobs 'Concurrent access-advisor jobs, and accounts audited at once with --accounts or --org'
            cand --timeout 'Give up waiting for the credential report (and access advisor) after this long'
            cand --accounts 'Run in each of these accounts (12-digit ids), assuming --role-name in each'
            cand --ou 'With --org: only the accounts under these OUs (child OUs included)'
            cand --exclude-accounts 'Leave these accounts out'
            cand --role-name 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role'
            cand --external-id 'The external id the fleet role''s trust policy asks for'
            cand --shard 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1'
            cand --now 'The audit''s "now" as seconds since the epoch (reproducible reports and tests)'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand --access-advisor 'Also ask the access advisor which allowed services each user and role never used'
            cand --org 'Run in every ACTIVE account of the caller''s AWS Organization'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
