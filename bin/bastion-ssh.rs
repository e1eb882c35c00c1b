awsops_core::bin!(awsops_bastion_ssh);
