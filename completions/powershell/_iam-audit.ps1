
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'iam-audit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'iam-audit'
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
        'iam-audit' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Audit this saved get-account-authorization-details JSON instead of calling AWS')
            [CompletionResult]::new('--credential-report', '--credential-report', [CompletionResultType]::ParameterName, 'With --offline: a saved credential report (CSV) for the credential checks')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 3 when an unsuppressed finding is at or above this severity')
            [CompletionResult]::new('--suppressions', '--suppressions', [CompletionResultType]::ParameterName, 'Accepted findings: a JSON list of {check, resource, reason, expires}')
            [CompletionResult]::new('--key-max-age', '--key-max-age', [CompletionResultType]::ParameterName, 'Flag access keys older than this many days')
            [CompletionResult]::new('--unused-days', '--unused-days', [CompletionResultType]::ParameterName, 'Flag access keys and passwords unused for this many days')
            [CompletionResult]::new('--role-unused-days', '--role-unused-days', [CompletionResultType]::ParameterName, 'Flag roles unused for this many days')
            [CompletionResult]::new('--root-recent-days', '--root-recent-days', [CompletionResultType]::ParameterName, 'Flag root use within this many days')
            [CompletionResult]::new('--min-password-length', '--min-password-length', [CompletionResultType]::ParameterName, 'The password length the policy must require at least')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Concurrent access-advisor jobs, and accounts audited at once with --accounts or --org')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for the credential report (and access advisor) after this long')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Run in each of these accounts (12-digit ids), assuming --role-name in each')
            [CompletionResult]::new('--ou', '--ou', [CompletionResultType]::ParameterName, 'With --org: only the accounts under these OUs (child OUs included)')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role assumed in each account (the caller''s own account is used directly); for audits, a read-only role')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the fleet role''s trust policy asks for')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The audit''s "now" as seconds since the epoch (reproducible reports and tests)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('--access-advisor', '--access-advisor', [CompletionResultType]::ParameterName, 'Also ask the access advisor which allowed services each user and role never used')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Run in every ACTIVE account of the caller''s AWS Organization')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
