
use builtin;
use str;

set edit:completion:arg-completer[cert-attach] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cert-attach'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cert-attach'= {
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --load-balancer 'Serve the certificate on this application load balancer (name, ARN or DNS name)'
            cand --lb 'Serve the certificate on this application load balancer (name, ARN or DNS name)'
            cand --cloudfront 'Serve the certificate on this CloudFront distribution (its id): the certificate is requested in us-east-1, the names join the distribution''s aliases'
            cand --from 'The load balancer from a `load-balancer` document in FILE (`-` for stdin); without --load-balancer a piped one is read'
            cand --target-group 'Forward the new HTTPS listener to this target group (name or ARN; repeat for several) instead of where HTTP forwards'
            cand --ssl-policy 'TLS policy of a new HTTPS listener'
            cand --key-algorithm 'Key algorithm of a new certificate'
            cand --zone-id 'Write validation records only into these hosted zones (repeat for several)'
            cand --zone-role-arn 'Assume this role for Route 53 (the zones live in another account)'
            cand --timeout 'Give up waiting for validation after this long'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand --redirect-http 'Turn the HTTP:80 listener into a 301 redirect to HTTPS:443 (creating it if there is none)'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --no-wait 'Do not wait for ISSUED (only without --load-balancer): print the pending certificate'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
