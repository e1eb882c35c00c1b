
use builtin;
use str;

set edit:completion:arg-completer[dns-alias] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dns-alias'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dns-alias'= {
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
            cand set 'Make NAME point at TARGET (UPSERT only when different)'
            cand delete 'Remove NAME''s records, only if they still point at TARGET'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dns-alias;set'= {
            cand --from 'Read the `certificate` or `load-balancer` document from FILE (`-` for stdin)'
            cand --zone-id 'Use this hosted zone instead of finding one by the name'
            cand --ttl 'TTL of a CNAME, in seconds'
            cand --timeout 'Give up waiting for INSYNC after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --private 'Look among private hosted zones instead of public ones'
            cand --cname 'A CNAME to the target''s host even where an alias is possible (never at the zone apex)'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --no-wait 'Do not wait for the change to be INSYNC'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dns-alias;delete'= {
            cand --from 'Read the `certificate` or `load-balancer` document from FILE (`-` for stdin)'
            cand --zone-id 'Use this hosted zone instead of finding one by the name'
            cand --ttl 'TTL of a CNAME, in seconds'
            cand --timeout 'Give up waiting for INSYNC after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --private 'Look among private hosted zones instead of public ones'
            cand --cname 'A CNAME to the target''s host even where an alias is possible (never at the zone apex)'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --no-wait 'Do not wait for the change to be INSYNC'
            cand -y 'Do not ask; required when not on a terminal'
            cand --yes 'Do not ask; required when not on a terminal'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dns-alias;help'= {
            cand set 'Make NAME point at TARGET (UPSERT only when different)'
            cand delete 'Remove NAME''s records, only if they still point at TARGET'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dns-alias;help;set'= {
        }
        &'dns-alias;help;delete'= {
        }
        &'dns-alias;help;help'= {
        }
    ]
    $completions[$command]
}
