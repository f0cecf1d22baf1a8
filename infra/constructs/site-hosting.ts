// Where the static filing site lives: a private bucket behind CloudFront (origin access
// control, HTTPS only, security headers). It sits in the stateful stack because its address
// is long-lived: it is printed in emails and bookmarked, and the attachment bucket's CORS and
// the API's CORS name it. The stateless stack uploads the pages (SiteContent).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import type { Stage } from '../stage.ts';

export interface SiteHostingProps {
  accessLogs: IBucket;
  bucketName: string;
  originAccess: 'control' | 'identity';
  /**
   * CloudFront in the China regions refuses cache policies and response headers policies: the
   * distribution caches by the legacy ForwardedValues and TTLs, and the pages carry their
   * Content-Security-Policy and referrer policy as meta tags (site/*.html).
   */
  legacyCacheSettings?: boolean;
  /** The site's own host name and CloudFront certificate (see the stage's `domains`). */
  domain?: Pick<NonNullable<Stage['domains']>, 'siteCertificate'> & { name: string };
}

/**
 * What the pages may load: only the site itself, and the API over HTTPS. The pages' meta tag
 * says the same (browsers enforce both); only a header can forbid framing.
 */
export const SITE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

export class SiteHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  private readonly domainName?: string;

  constructor(scope: Construct, id: string, props: SiteHostingProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Pages', {
      bucketName: props.bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const legacy = props.legacyCacheSettings ?? false;
    const headers = legacy
      ? undefined
      : new ResponseHeadersPolicy(this, 'SecurityHeaders', {
          comment: 'Security headers for the filing site',
          securityHeadersBehavior: {
            contentSecurityPolicy: { contentSecurityPolicy: SITE_CSP, override: true },
            strictTransportSecurity: {
              accessControlMaxAge: Duration.days(365),
              includeSubdomains: true,
              override: true,
            },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
            referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
            xssProtection: { protection: true, modeBlock: true, override: true },
          },
        });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Standards-officer filing site',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin:
          props.originAccess === 'control'
            ? S3BucketOrigin.withOriginAccessControl(this.bucket)
            : S3BucketOrigin.withOriginAccessIdentity(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        ...(headers ? { responseHeadersPolicy: headers } : {}),
      },
      ...(props.domain && 'acmCertificateArn' in props.domain.siteCertificate
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.domain.siteCertificate.acmCertificateArn,
            ),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
    });
    if (legacy) {
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyDeletionOverride('DistributionConfig.DefaultCacheBehavior.CachePolicyId');
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.ForwardedValues', {
        QueryString: false,
        Cookies: { Forward: 'none' },
      });
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.MinTTL', 0);
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.DefaultTTL', 86_400);
      cfn.addPropertyOverride('DistributionConfig.DefaultCacheBehavior.MaxTTL', 31_536_000);
    }
    this.domainName = props.domain?.name;
    if (props.domain && 'iamCertificateId' in props.domain.siteCertificate) {
      // The L2 takes only ACM certificates; CloudFront in China takes IAM server certificates.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [props.domain.name]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: props.domain.siteCertificate.iamCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The viewer certificate (an IAM server certificate, TLSv1.2_2021 minimum) is set by a property override, which cdk-nag does not read.',
      );
    }
    if (props.originAccess === 'identity') {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR7',
        'CloudFront in the China regions offers origin access identities, not origin access control; the bucket stays private either way.',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The site serves a public filing form to enterprises; who may file is decided by the programme rules, not by country.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static pages only; the API behind them has its own throttling. A WAF web ACL is a stage option to add when a bureau asks for it.',
    );
    if (!props.domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The default CloudFront certificate allows older TLS; a stage with its own domain and certificate sets TLS 1.2 minimum.',
      );
    }
  }

  /** The site's origin: its own domain where the stage has one (a plain string, no export). */
  get origin(): string {
    return `https://${this.domainName ?? this.distribution.distributionDomainName}`;
  }
}
