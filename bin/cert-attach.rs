awsops_core::bin!(awsops_cert_attach);
