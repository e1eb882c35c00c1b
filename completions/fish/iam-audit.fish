complete -c iam-audit -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c iam-audit -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c iam-audit -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c iam-audit -l offline -d 'Audit this saved get-account-authorization-details JSON instead of calling AWS' -r -F
complete -c iam-audit -l credential-report -d 'With --offline: a saved credential report (CSV) for the credential checks' -r -F
complete -c iam-audit -l format -r -f -a "json\t'`finding` documents, then an `iam-audit-summary`, one JSON object per line'
table\t''
sarif\t''"
complete -c iam-audit -l fail-on -d 'Exit 3 when an unsuppressed finding is at or above this severity' -r -f -a "low\t''
medium\t''
high\t''
critical\t''"
complete -c iam-audit -l suppressions -d 'Accepted findings: a JSON list of {check, resource, reason, expires}' -r -F
complete -c iam-audit -l key-max-age -d 'Flag access keys older than this many days' -r
complete -c iam-audit -l unused-days -d 'Flag access keys and passwords unused for this many days' -r
complete -c iam-audit -l role-unused-days -d 'Flag roles unused for this many days' -r
complete -c iam-audit -l root-recent-days -d 'Flag root use within this many days' -r
complete -c iam-audit -l min-password-length -d 'The password length the policy must require at least' -r
complete -c iam-audit -l jobs -d 'Concurrent access-advisor jobs, and accounts audited at once with --accounts or --org' -r
complete -c iam-audit -l timeout -d 'Give up waiting for the credential report (and access advisor) after this long' -r
complete -c iam-audit -l accounts -d 'Run in each of these accounts (12-digit ids), assuming --role-name in each' -r
complete -c iam-audit -l ou -d 'With --org: only the accounts under these OUs (child OUs included)' -r
complete -c iam-audit -l exclude-accounts -d 'Leave these accounts out' -r
complete -c iam-audit -l role-name -d 'The role assumed in each account (the caller\'s own account is used directly); for audits, a read-only role' -r
complete -c iam-audit -l external-id -d 'The external id the fleet role\'s trust policy asks for' -r
complete -c iam-audit -l shard -d 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1' -r
complete -c iam-audit -l now -d 'The audit\'s "now" as seconds since the epoch (reproducible reports and tests)' -r
complete -c iam-audit -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c iam-audit -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c iam-audit -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c iam-audit -l access-advisor -d 'Also ask the access advisor which allowed services each user and role never used'
complete -c iam-audit -l org -d 'Run in every ACTIVE account of the caller\'s AWS Organization'
complete -c iam-audit -s h -l help -d 'Print help (see more with \'--help\')'
complete -c iam-audit -s V -l version -d 'Print version'
