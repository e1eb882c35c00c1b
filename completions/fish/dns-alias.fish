# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dns_alias_global_optspecs
    string join \n region= profile= endpoint-url= v/verbose q/quiet print-policy h/help V/version
end

function __fish_dns_alias_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dns_alias_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dns_alias_using_subcommand
    set -l cmd (__fish_dns_alias_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dns-alias -n "__fish_dns_alias_needs_command" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c dns-alias -n "__fish_dns_alias_needs_command" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c dns-alias -n "__fish_dns_alias_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c dns-alias -n "__fish_dns_alias_needs_command" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -s V -l version -d 'Print version'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -f -a "set" -d 'Make NAME point at TARGET (UPSERT only when different)'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -f -a "delete" -d 'Remove NAME\'s records, only if they still point at TARGET'
complete -c dns-alias -n "__fish_dns_alias_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l from -d 'Read the `certificate` or `load-balancer` document from FILE (`-` for stdin)' -r -F
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l zone-id -d 'Use this hosted zone instead of finding one by the name' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l ttl -d 'TTL of a CNAME, in seconds' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l timeout -d 'Give up waiting for INSYNC after this long' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l private -d 'Look among private hosted zones instead of public ones'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l cname -d 'A CNAME to the target\'s host even where an alias is possible (never at the zone apex)'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l no-wait -d 'Do not wait for the change to be INSYNC'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand set" -s h -l help -d 'Print help'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l from -d 'Read the `certificate` or `load-balancer` document from FILE (`-` for stdin)' -r -F
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l zone-id -d 'Use this hosted zone instead of finding one by the name' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l ttl -d 'TTL of a CNAME, in seconds' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l timeout -d 'Give up waiting for INSYNC after this long' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l private -d 'Look among private hosted zones instead of public ones'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l cname -d 'A CNAME to the target\'s host even where an alias is possible (never at the zone apex)'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l no-wait -d 'Do not wait for the change to be INSYNC'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -s y -l yes -d 'Do not ask; required when not on a terminal'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand delete" -s h -l help -d 'Print help'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand help; and not __fish_seen_subcommand_from set delete help" -f -a "set" -d 'Make NAME point at TARGET (UPSERT only when different)'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand help; and not __fish_seen_subcommand_from set delete help" -f -a "delete" -d 'Remove NAME\'s records, only if they still point at TARGET'
complete -c dns-alias -n "__fish_dns_alias_using_subcommand help; and not __fish_seen_subcommand_from set delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
