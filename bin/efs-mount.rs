awsops_core::bin!(awsops_efs_mount);
