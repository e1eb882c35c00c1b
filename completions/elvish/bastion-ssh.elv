
use builtin;
use str;

set edit:completion:arg-completer[bastion-ssh] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'bastion-ssh'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'bastion-ssh'= {
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
            cand exec 'Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`'
            cand shell 'An interactive shell on the target'
            cand forward 'Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)'
            cand config 'Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bastion-ssh;exec'= {
            cand --jobs 'At most this many hosts at once (all through one bastion session)'
            cand --bastion 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]'
            cand --from 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)'
            cand -l 'The user on the targets'
            cand --user 'The user on the targets'
            cand --bastion-user 'The user on the bastion [default: --user]'
            cand -i 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --identity 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --known-hosts 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]'
            cand --resolve 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)'
            cand --allow 'Also allow connections to this network (repeat)'
            cand --port 'SSH port of the targets'
            cand --connect-timeout 'Give up connecting and authenticating after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --all 'Run on every instance the target matches, printing one `exec` document each'
            cand --accept-new 'Record unknown host keys instead of refusing (changed keys are always refused)'
            cand --instance-connect 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'bastion-ssh;shell'= {
            cand --bastion 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]'
            cand --from 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)'
            cand -l 'The user on the targets'
            cand --user 'The user on the targets'
            cand --bastion-user 'The user on the bastion [default: --user]'
            cand -i 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --identity 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --known-hosts 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]'
            cand --resolve 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)'
            cand --allow 'Also allow connections to this network (repeat)'
            cand --port 'SSH port of the targets'
            cand --connect-timeout 'Give up connecting and authenticating after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --accept-new 'Record unknown host keys instead of refusing (changed keys are always refused)'
            cand --instance-connect 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'bastion-ssh;forward'= {
            cand -L '[BIND:]PORT:HOST:HOSTPORT, HOST as seen from the target (repeat)'
            cand -D '[BIND:]PORT: a SOCKS5 proxy (CONNECT, no authentication) whose connections leave from the target, like ssh -D (repeat)'
            cand -R '[BIND:]PORT:HOST:HOSTPORT: the target listens on PORT (its loopback unless sshd''s GatewayPorts allows BIND; 0: its choice, printed on stderr) and each connection is made from here to HOST:HOSTPORT, like ssh -R (repeat)'
            cand --bastion 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]'
            cand --from 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)'
            cand -l 'The user on the targets'
            cand --user 'The user on the targets'
            cand --bastion-user 'The user on the bastion [default: --user]'
            cand -i 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --identity 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --known-hosts 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]'
            cand --resolve 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)'
            cand --allow 'Also allow connections to this network (repeat)'
            cand --port 'SSH port of the targets'
            cand --connect-timeout 'Give up connecting and authenticating after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --accept-new 'Record unknown host keys instead of refusing (changed keys are always refused)'
            cand --instance-connect 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'bastion-ssh;config'= {
            cand --file 'The ssh_config file to keep the block in'
            cand --select 'Only instances this target matches [default: every running instance in the bastion''s VPC]'
            cand --prefix 'Prefix of every Host alias (PREFIXbastion, PREFIXweb-1, …) [default: the stack''s name and "-", else "aws-"]'
            cand --bastion 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]'
            cand --from 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)'
            cand -l 'The user on the targets'
            cand --user 'The user on the targets'
            cand --bastion-user 'The user on the bastion [default: --user]'
            cand -i 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --identity 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]'
            cand --known-hosts 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]'
            cand --resolve 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)'
            cand --allow 'Also allow connections to this network (repeat)'
            cand --port 'SSH port of the targets'
            cand --connect-timeout 'Give up connecting and authenticating after this long'
            cand --region 'AWS region, e.g. ap-northeast-2'
            cand --profile 'Named profile from ~/.aws/config and ~/.aws/credentials'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)'
            cand --dry-run 'Print what would change (the command''s document or plan) and change nothing'
            cand --accept-new 'Record unknown host keys instead of refusing (changed keys are always refused)'
            cand --instance-connect 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
            cand -v 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand --verbose 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)'
            cand -q 'Errors only on stderr, and no progress'
            cand --quiet 'Errors only on stderr, and no progress'
            cand --print-policy 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'bastion-ssh;help'= {
            cand exec 'Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`'
            cand shell 'An interactive shell on the target'
            cand forward 'Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)'
            cand config 'Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bastion-ssh;help;exec'= {
        }
        &'bastion-ssh;help;shell'= {
        }
        &'bastion-ssh;help;forward'= {
        }
        &'bastion-ssh;help;config'= {
        }
        &'bastion-ssh;help;help'= {
        }
    ]
    $completions[$command]
}
