// Where generated reports are kept: the private report bucket (S3; locally s3rver's second
// bucket). Keys: `reports/<programId>/<asOf>/<file>`.
export interface ReportStore {
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
}
