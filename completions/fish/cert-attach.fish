complete -c cert-attach -l region -d 'AWS region, e.g. ap-northeast-2' -r
complete -c cert-attach -l profile -d 'Named profile from ~/.aws/config and ~/.aws/credentials' -r
complete -c cert-attach -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)' -r
complete -c cert-attach -l load-balancer -l lb -d 'Serve the certificate on this application load balancer (name, ARN or DNS name)' -r
complete -c cert-attach -l cloudfront -d 'Serve the certificate on this CloudFront distribution (its id): the certificate is requested in us-east-1, the names join the distribution\'s aliases' -r
complete -c cert-attach -l from -d 'The load balancer from a `load-balancer` document in FILE (`-` for stdin); without --load-balancer a piped one is read' -r -F
complete -c cert-attach -l target-group -d 'Forward the new HTTPS listener to this target group (name or ARN; repeat for several) instead of where HTTP forwards' -r
complete -c cert-attach -l ssl-policy -d 'TLS policy of a new HTTPS listener' -r
complete -c cert-attach -l key-algorithm -d 'Key algorithm of a new certificate' -r
complete -c cert-attach -l zone-id -d 'Write validation records only into these hosted zones (repeat for several)' -r
complete -c cert-attach -l zone-role-arn -d 'Assume this role for Route 53 (the zones live in another account)' -r
complete -c cert-attach -l timeout -d 'Give up waiting for validation after this long' -r
complete -c cert-attach -s v -l verbose -d 'More detail on stderr (-v info, -vv debug, -vvv the SDK\'s wire log)'
complete -c cert-attach -s q -l quiet -d 'Errors only on stderr, and no progress'
complete -c cert-attach -l print-policy -d 'Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call'
complete -c cert-attach -l redirect-http -d 'Turn the HTTP:80 listener into a 301 redirect to HTTPS:443 (creating it if there is none)'
complete -c cert-attach -l dry-run -d 'Print what would change (the command\'s document or plan) and change nothing'
complete -c cert-attach -l no-wait -d 'Do not wait for ISSUED (only without --load-balancer): print the pending certificate'
complete -c cert-attach -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cert-attach -s V -l version -d 'Print version'
