# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_bastion_ssh_global_optspecs
    string join \n region= profile= endpoint-url= v/verbose q/quiet print-policy h/help V/version
end

function __fish_bastion_ssh_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_bastion_ssh_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_bastion_ssh_using_subcommand
    set -l cmd (__fish_bastion_ssh_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -s V -l version -d 'Print version'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -f -a "exec" -d 'Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -f -a "shell" -d 'An interactive shell on the target'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -f -a "forward" -d 'Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -f -a "config" -d 'Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file'
complete -c bastion-ssh -n "__fish_bastion_ssh_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l jobs -d 'At most this many hosts at once (all through one bastion session)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l bastion -d 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document\'s, or the instance tagged awsops:role=bastion]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l from -d 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command\'s)' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -s l -l user -d 'The user on the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l bastion-user -d 'The user on the bastion [default: --user]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -s i -l identity -d 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l known-hosts -d 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l resolve -d 'Connect to ADDR:PORT for NAME (an instance\'s address or a host), like curl\'s --resolve (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l allow -d 'Also allow connections to this network (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l port -d 'SSH port of the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l connect-timeout -d 'Give up connecting and authenticating after this long' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l all -d 'Run on every instance the target matches, printing one `exec` document each'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l accept-new -d 'Record unknown host keys instead of refusing (changed keys are always refused)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l instance-connect -d 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand exec" -s h -l help -d 'Print help'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l bastion -d 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document\'s, or the instance tagged awsops:role=bastion]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l from -d 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command\'s)' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -s l -l user -d 'The user on the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l bastion-user -d 'The user on the bastion [default: --user]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -s i -l identity -d 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l known-hosts -d 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l resolve -d 'Connect to ADDR:PORT for NAME (an instance\'s address or a host), like curl\'s --resolve (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l allow -d 'Also allow connections to this network (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l port -d 'SSH port of the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l connect-timeout -d 'Give up connecting and authenticating after this long' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l accept-new -d 'Record unknown host keys instead of refusing (changed keys are always refused)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l instance-connect -d 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand shell" -s h -l help -d 'Print help'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s L -d '[BIND:]PORT:HOST:HOSTPORT, HOST as seen from the target (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s D -d '[BIND:]PORT: a SOCKS5 proxy (CONNECT, no authentication) whose connections leave from the target, like ssh -D (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s R -d '[BIND:]PORT:HOST:HOSTPORT: the target listens on PORT (its loopback unless sshd\'s GatewayPorts allows BIND; 0: its choice, printed on stderr) and each connection is made from here to HOST:HOSTPORT, like ssh -R (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l bastion -d 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document\'s, or the instance tagged awsops:role=bastion]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l from -d 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command\'s)' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s l -l user -d 'The user on the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l bastion-user -d 'The user on the bastion [default: --user]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s i -l identity -d 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l known-hosts -d 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l resolve -d 'Connect to ADDR:PORT for NAME (an instance\'s address or a host), like curl\'s --resolve (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l allow -d 'Also allow connections to this network (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l port -d 'SSH port of the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l connect-timeout -d 'Give up connecting and authenticating after this long' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l accept-new -d 'Record unknown host keys instead of refusing (changed keys are always refused)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l instance-connect -d 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand forward" -s h -l help -d 'Print help'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l file -d 'The ssh_config file to keep the block in' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l select -d 'Only instances this target matches [default: every running instance in the bastion\'s VPC]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l prefix -d 'Prefix of every Host alias (PREFIXbastion, PREFIXweb-1, …) [default: the stack\'s name and "-", else "aws-"]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l bastion -d 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document\'s, or the instance tagged awsops:role=bastion]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l from -d 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command\'s)' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -s l -l user -d 'The user on the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l bastion-user -d 'The user on the bastion [default: --user]' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -s i -l identity -d 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l known-hosts -d 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]' -r -F
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l resolve -d 'Connect to ADDR:PORT for NAME (an instance\'s address or a host), like curl\'s --resolve (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l allow -d 'Also allow connections to this network (repeat)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l port -d 'SSH port of the targets' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l connect-timeout -d 'Give up connecting and authenticating after this long' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l accept-new -d 'Record unknown host keys instead of refusing (changed keys are always refused)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l instance-connect -d 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand config" -s h -l help -d 'Print help'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand help; and not __fish_seen_subcommand_from exec shell forward config help" -f -a "exec" -d 'Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand help; and not __fish_seen_subcommand_from exec shell forward config help" -f -a "shell" -d 'An interactive shell on the target'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand help; and not __fish_seen_subcommand_from exec shell forward config help" -f -a "forward" -d 'Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand help; and not __fish_seen_subcommand_from exec shell forward config help" -f -a "config" -d 'Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file'
complete -c bastion-ssh -n "__fish_bastion_ssh_using_subcommand help; and not __fish_seen_subcommand_from exec shell forward config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
