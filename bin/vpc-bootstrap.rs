awsops_core::bin!(awsops_vpc_bootstrap);
