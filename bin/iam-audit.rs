awsops_core::bin!(awsops_iam_audit);
