// The API's custom domain (regional, TLS 1.2). It sits in the stateful stack: review links in
// mail live for weeks and must keep working when the stateless stack, and the API in it, is
// replaced. The stateless stack maps its API onto this domain by name (no export).
import { CfnOutput } from 'aws-cdk-lib';
import { DomainName, EndpointType, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';

export interface ApiDomainProps {
  /** The host name, e.g. api.beian.example.cn. */
  name: string;
  /** An ACM certificate for it in the stage's region (in China, one imported into ACM). */
  certificateArn: string;
}

export class ApiDomain extends Construct {
  readonly domain: DomainName;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    this.domain = new DomainName(this, 'Domain', {
      domainName: props.name,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new CfnOutput(this, 'DnsTarget', {
      value: this.domain.regionalDomainName,
      description: `CNAME target for ${props.name} (publish it at the domain's DNS)`,
    });
  }
}
