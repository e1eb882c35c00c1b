
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'bastion-ssh' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'bastion-ssh'
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
        'bastion-ssh' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'An interactive shell on the target')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bastion-ssh;exec' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many hosts at once (all through one bastion session)')
            [CompletionResult]::new('--bastion', '--bastion', [CompletionResultType]::ParameterName, 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--bastion-user', '--bastion-user', [CompletionResultType]::ParameterName, 'The user on the bastion [default: --user]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Also allow connections to this network (repeat)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'SSH port of the targets')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting and authenticating after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Run on every instance the target matches, printing one `exec` document each')
            [CompletionResult]::new('--accept-new', '--accept-new', [CompletionResultType]::ParameterName, 'Record unknown host keys instead of refusing (changed keys are always refused)')
            [CompletionResult]::new('--instance-connect', '--instance-connect', [CompletionResultType]::ParameterName, 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'bastion-ssh;shell' {
            [CompletionResult]::new('--bastion', '--bastion', [CompletionResultType]::ParameterName, 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--bastion-user', '--bastion-user', [CompletionResultType]::ParameterName, 'The user on the bastion [default: --user]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Also allow connections to this network (repeat)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'SSH port of the targets')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting and authenticating after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--accept-new', '--accept-new', [CompletionResultType]::ParameterName, 'Record unknown host keys instead of refusing (changed keys are always refused)')
            [CompletionResult]::new('--instance-connect', '--instance-connect', [CompletionResultType]::ParameterName, 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'bastion-ssh;forward' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, '[BIND:]PORT:HOST:HOSTPORT, HOST as seen from the target (repeat)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, '[BIND:]PORT: a SOCKS5 proxy (CONNECT, no authentication) whose connections leave from the target, like ssh -D (repeat)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, '[BIND:]PORT:HOST:HOSTPORT: the target listens on PORT (its loopback unless sshd''s GatewayPorts allows BIND; 0: its choice, printed on stderr) and each connection is made from here to HOST:HOSTPORT, like ssh -R (repeat)')
            [CompletionResult]::new('--bastion', '--bastion', [CompletionResultType]::ParameterName, 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--bastion-user', '--bastion-user', [CompletionResultType]::ParameterName, 'The user on the bastion [default: --user]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Also allow connections to this network (repeat)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'SSH port of the targets')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting and authenticating after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--accept-new', '--accept-new', [CompletionResultType]::ParameterName, 'Record unknown host keys instead of refusing (changed keys are always refused)')
            [CompletionResult]::new('--instance-connect', '--instance-connect', [CompletionResultType]::ParameterName, 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'bastion-ssh;config' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The ssh_config file to keep the block in')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Only instances this target matches [default: every running instance in the bastion''s VPC]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Prefix of every Host alias (PREFIXbastion, PREFIXweb-1, …) [default: the stack''s name and "-", else "aws-"]')
            [CompletionResult]::new('--bastion', '--bastion', [CompletionResultType]::ParameterName, 'The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document''s, or the instance tagged awsops:role=bastion]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command''s)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user on the targets')
            [CompletionResult]::new('--bastion-user', '--bastion-user', [CompletionResultType]::ParameterName, 'The user on the bastion [default: --user]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Connect to ADDR:PORT for NAME (an instance''s address or a host), like curl''s --resolve (repeat)')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Also allow connections to this network (repeat)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'SSH port of the targets')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting and authenticating after this long')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region, e.g. ap-northeast-2')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from ~/.aws/config and ~/.aws/credentials')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (the command''s document or plan) and change nothing')
            [CompletionResult]::new('--accept-new', '--accept-new', [CompletionResultType]::ParameterName, 'Record unknown host keys instead of refusing (changed keys are always refused)')
            [CompletionResult]::new('--instance-connect', '--instance-connect', [CompletionResultType]::ParameterName, 'Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v info, -vv debug, -vvv the SDK''s wire log)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr, and no progress')
            [CompletionResult]::new('--print-policy', '--print-policy', [CompletionResultType]::ParameterName, 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'bastion-ssh;help' {
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'An interactive shell on the target')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bastion-ssh;help;exec' {
            break
        }
        'bastion-ssh;help;shell' {
            break
        }
        'bastion-ssh;help;forward' {
            break
        }
        'bastion-ssh;help;config' {
            break
        }
        'bastion-ssh;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
