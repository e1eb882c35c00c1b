
use builtin;
use str;

set edit:completion:arg-completer[vpc-bootstrap] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'vpc-bootstrap'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'vpc-bootstrap'= {
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a network, or converge an existing one, and print its `vpc` document'
            cand show 'Print the `vpc` document of an existing network; changes nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vpc-bootstrap;create'= {
            cand --cidr 'The VPC''s IPv4 CIDR (/16 to /28, in a private range)'
            cand --azs 'Use the region''s first N AZs'
            cand --az 'Use these AZs, by letter or full name (repeat or comma-separate: --az a,c)'
            cand --public-per-az 'Public subnets per AZ'
            cand --private-per-az 'Private subnets per AZ'
            cand --subnet-prefix 'Subnet size as a prefix length (default: VPC prefix + 8, at most 28)'
            cand --timeout 'Give up waiting after this long (e.g. 90s, 15m)'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --force-cidr 'Allow a VPC CIDR outside the private ranges'
            cand --dry-run 'Print the plan as JSON and change nothing'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;show'= {
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'vpc-bootstrap;help'= {
            cand create 'Create a network, or converge an existing one, and print its `vpc` document'
            cand show 'Print the `vpc` document of an existing network; changes nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vpc-bootstrap;help;create'= {
        }
        &'vpc-bootstrap;help;show'= {
        }
        &'vpc-bootstrap;help;help'= {
        }
    ]
    $completions[$command]
}
