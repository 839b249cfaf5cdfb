import { after, before, test } from 'node:test';
import { s3Kind } from '../versioning/helpers/remote-kinds';
import { S3_KEYS, startS3, type S3Server } from '../versioning/helpers/s3';
import { sharesRecords } from './shares-records';

// The CLI children find the local server's keys where they would find real ones: the standard AWS variables.
Object.assign(process.env, S3_KEYS);

let s3: S3Server;
before(async () => {
  s3 = await startS3();
});
after(() => s3.close());

test('push and pull share runs, model files, aliases and the audit log through an S3 remote; conflicts and tampering fail the pull', () =>
  sharesRecords(s3Kind(s3, 'team/project')));
