
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cert-attach' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cert-attach'
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
        'cert-attach' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--load-balancer', '--load-balancer', [CompletionResultType]::ParameterName, 'Serve the certificate on this application load balancer (name, ARN or DNS name)')
            [CompletionResult]::new('--lb', '--lb', [CompletionResultType]::ParameterName, 'Serve the certificate on this application load balancer (name, ARN or DNS name)')
            [CompletionResult]::new('--cloudfront', '--cloudfront', [CompletionResultType]::ParameterName, 'Serve the certificate on this CloudFront distribution (its id): the certificate is requested in us-east-1, the names join the distribution''s aliases')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The load balancer from a `load-balancer` document in FILE (`-` for stdin); without --load-balancer a piped one is read')
            [CompletionResult]::new('--target-group', '--target-group', [CompletionResultType]::ParameterName, 'Forward the new HTTPS listener to this target group (name or ARN; repeat for several) instead of where HTTP forwards')
            [CompletionResult]::new('--ssl-policy', '--ssl-policy', [CompletionResultType]::ParameterName, 'TLS policy of a new HTTPS listener')
            [CompletionResult]::new('--key-algorithm', '--key-algorithm', [CompletionResultType]::ParameterName, 'Key algorithm of a new certificate')
            [CompletionResult]::new('--zone-id', '--zone-id', [CompletionResultType]::ParameterName, 'Write validation records only into these hosted zones (repeat for several)')
            [CompletionResult]::new('--zone-role-arn', '--zone-role-arn', [CompletionResultType]::ParameterName, 'Assume this role for Route 53 (the zones live in another account)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting for validation after this long')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('--redirect-http', '--redirect-http', [CompletionResultType]::ParameterName, 'Turn the HTTP:80 listener into a 301 redirect to HTTPS:443 (creating it if there is none)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait for ISSUED (only without --load-balancer): print the pending certificate')
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
