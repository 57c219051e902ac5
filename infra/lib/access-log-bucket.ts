import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of an {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /** The service that writes the logs, named in the cdk-nag acknowledgement (for example `CloudFront`). */
  readonly writer: string;
  /** Object ownership the writer needs: CloudFront's standard logging writes with an ACL (`BUCKET_OWNER_PREFERRED`). */
  readonly objectOwnership: s3.ObjectOwnership;
  /**
   * Days the logs are kept.
   * @default 90
   */
  readonly retentionDays?: number;
}

/**
 * A bucket of access logs: SSE-S3 (the only encryption ALB and CloudFront log delivery accept), TLS only,
 * no public access, expiring objects, and retained when the stack is deleted, so that `cdk destroy` succeeds
 * whatever it holds (delete it by hand).
 */
export class AccessLogBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.objectOwnership,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-S1',
      reason: `This bucket only receives ${props.writer}'s access logs; logging its own access would need another log bucket without adding a trail of the requests that matter.`,
    });
  }
}
