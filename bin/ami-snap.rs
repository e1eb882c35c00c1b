awsops_core::bin!(awsops_ami_snap);
