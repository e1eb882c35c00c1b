awsops_core::bin!(awsops_dns_alias);
